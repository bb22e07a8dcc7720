package dev.slipway.portal.database;

import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DataDirectoryConfiguration {

    @Bean
    DataDirectory dataDirectory(@Value("${slipway.data-dir}") Path path) {
        return new DataDirectory(path);
    }
}
