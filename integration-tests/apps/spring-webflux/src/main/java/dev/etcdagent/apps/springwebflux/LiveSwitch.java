package dev.etcdagent.apps.springwebflux;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** An {@code @Value} field of a singleton bean: with the agent it follows etcd after start-up too. */
@Component
class LiveSwitch {

    @Value("${promo.enabled:unset}")
    String enabled;
}
