package dev.etcdagent.apps.springwebflux;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Spring Boot WebFlux on Reactor Netty's default transport (native epoll on Linux): a matrix case. */
@SpringBootApplication
@EnableConfigurationProperties(PromoProperties.class)
public class SpringWebFluxApp {

    public static void main(String[] args) {
        SpringApplication.run(SpringWebFluxApp.class, args);
    }
}
