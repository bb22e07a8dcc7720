package dev.slipway.portal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class WebhookSecretTest {

    @Test
    void azureModeWithoutASecretRefusesEveryEventAndNeverTakesLocalModesDefault() {
        var azure = new MockEnvironment();
        azure.setActiveProfiles("azure");
        var secret = new WebhookSecret(new RegistryProperties("", null, null, null), azure);
        assertThat(secret.matches(WebhookSecret.LOCAL)).isFalse();
        assertThat(secret.matches("")).isFalse();
    }

    @Test
    void aConfiguredSecretIsTheOnlyOneAcceptedInEitherMode() {
        var local = new WebhookSecret(new RegistryProperties("s3cret", null, null, null), new MockEnvironment());
        assertThat(local.matches("s3cret")).isTrue();
        assertThat(local.matches(WebhookSecret.LOCAL)).isFalse();
        assertThat(local.matches("s3cre")).isFalse();
        assertThat(local.matches(null)).isFalse();
        assertThat(new WebhookSecret(new RegistryProperties(null, null, null, null), new MockEnvironment()).matches(WebhookSecret.LOCAL)).isTrue();
    }
}
