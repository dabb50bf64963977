package dev.etcdagent.apps.springlive;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Spring MVC on embedded Tomcat whose configuration lives in Spring's own beans: {@code @Value} on a field and on
 * a setter, JavaBean {@code @ConfigurationProperties} (one validated) and a constructor-bound record. It knows
 * nothing of the agent; with only {@code -javaagent} the JavaBean targets follow etcd.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class LiveApp {

    public static void main(String[] args) {
        SpringApplication.run(LiveApp.class, args);
    }
}
