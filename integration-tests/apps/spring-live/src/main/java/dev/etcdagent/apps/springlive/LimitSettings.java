package dev.etcdagent.apps.springlive;

import jakarta.validation.constraints.Max;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** A validated JavaBean: a value that converts but breaks its constraint must change nothing. */
@Validated
@ConfigurationProperties("limits")
public class LimitSettings {

    @Max(90)
    private int maxDiscount = 50;

    public int getMaxDiscount() {
        return maxDiscount;
    }

    public void setMaxDiscount(int maxDiscount) {
        this.maxDiscount = maxDiscount;
    }
}
