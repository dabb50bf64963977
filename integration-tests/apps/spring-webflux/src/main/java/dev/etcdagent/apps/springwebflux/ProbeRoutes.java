package dev.etcdagent.apps.springwebflux;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** GET /probe: what this application sees of its configuration, as {@code name=value} tokens. */
@Configuration
class ProbeRoutes {

    @Bean
    RouterFunction<ServerResponse> probe(@Value("${promo.enabled:unset}") String valueEnabled, Environment environment,
                                         PromoProperties properties, LiveSwitch live) {
        return RouterFunctions.route().GET("/probe", request -> ServerResponse.ok()
                .contentType(MediaType.TEXT_PLAIN)
                .bodyValue("dynamic=" + Switches.dynamic + " property=" + System.getProperty("matrix.property")
                        + " value=" + valueEnabled + " environment=" + environment.getProperty("promo.enabled")
                        + " configurationProperties=" + properties.enabled() + " liveValue=" + live.enabled))
                .build();
    }
}
