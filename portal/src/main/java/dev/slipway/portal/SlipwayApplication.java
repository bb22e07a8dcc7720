package dev.slipway.portal;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class SlipwayApplication {

    public static void main(String[] args) {
        SpringApplication.run(SlipwayApplication.class, args);
    }
}
