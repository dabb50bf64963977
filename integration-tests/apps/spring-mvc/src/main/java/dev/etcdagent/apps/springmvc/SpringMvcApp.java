package dev.etcdagent.apps.springmvc;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Spring Boot MVC on Tomcat, Actuator on its own management port: a matrix case of the integration suite. */
@SpringBootApplication
@EnableConfigurationProperties(PromoProperties.class)
public class SpringMvcApp {

    public static void main(String[] args) {
        SpringApplication.run(SpringMvcApp.class, args);
    }
}
