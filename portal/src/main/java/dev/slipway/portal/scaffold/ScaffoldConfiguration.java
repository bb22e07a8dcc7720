package dev.slipway.portal.scaffold;

import dev.slipway.templates.PlatformSettings;
import dev.slipway.templates.PolicyCheck;
import dev.slipway.templates.Renderer;
import dev.slipway.templates.TemplateCatalog;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ScaffoldConfiguration {

    @Bean
    PlatformSettings platformSettings(PlatformProperties properties) {
        return properties.settings();
    }

    /** Built-in templates plus the admins' directory; a broken template stops the start with its name. */
    @Bean
    TemplateCatalog templateCatalog(PlatformProperties properties) {
        return TemplateCatalog.load(properties.templates() == null ? null : properties.templates().directory());
    }

    @Bean
    Renderer renderer(PlatformSettings platform) {
        return new Renderer(platform);
    }

    @Bean
    PolicyCheck policyCheck(PlatformSettings platform) {
        return new PolicyCheck(platform.allowedRegistries());
    }
}
