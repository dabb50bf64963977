package dev.etcdagent.apps.springlive;

import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** What the beans hold at the time of each request, as {@code name=value} tokens for the integration suite. */
@RestController
class LiveController {

    @Value("${promo.enabled:false}")
    private boolean enabled;
    private String banner;

    private final PromoSettings promo;
    private final LimitSettings limits;
    private final FixedSettings fixed;

    LiveController(PromoSettings promo, LimitSettings limits, FixedSettings fixed) {
        this.promo = promo;
        this.limits = limits;
        this.fixed = fixed;
    }

    @Value("${promo.banner:Welcome}")
    void setBanner(String banner) {
        this.banner = banner;
    }

    @GetMapping(value = "/live", produces = "text/plain")
    String live() {
        // One nested object, read once: the suite checks that one etcd transaction changes its two values together.
        PromoSettings.Nested nested = promo.getNested();
        return "enabled=" + enabled + " banner=" + banner.replace(' ', '_') + " discount=" + promo.getDiscount()
                + " items=" + joined(promo.getItems()) + " window=" + promo.getWindow() + " code=" + nested.getCode()
                + " region=" + nested.getRegion() + " maxDiscount=" + limits.getMaxDiscount()
                + " fixed=" + fixed.level();
    }

    private static String joined(List<String> items) {
        return items == null ? "" : String.join("|", items);
    }
}
