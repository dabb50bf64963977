package dev.etcdagent.apps.springmvc;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** What this application sees of its configuration, as {@code name=value} tokens for the matrix to read. */
@RestController
class ProbeController {

    private final String valueEnabled;
    private final Environment environment;
    private final PromoProperties properties;

    ProbeController(@Value("${promo.enabled:unset}") String valueEnabled, Environment environment,
                    PromoProperties properties) {
        this.valueEnabled = valueEnabled;
        this.environment = environment;
        this.properties = properties;
    }

    @GetMapping(value = "/probe", produces = "text/plain")
    String probe() {
        return "dynamic=" + Switches.dynamic + " property=" + System.getProperty("matrix.property")
                + " value=" + valueEnabled + " environment=" + environment.getProperty("promo.enabled")
                + " configurationProperties=" + properties.enabled();
    }
}
