package dev.slipway.portal.registry;

import com.azure.containers.containerregistry.ContainerRegistryClient;
import com.azure.containers.containerregistry.ContainerRegistryClientBuilder;
import com.azure.containers.containerregistry.models.ContainerRegistryAudience;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.resourcemanager.resourcegraph.ResourceGraphManager;
import dev.slipway.templates.PlatformSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {

    /**
     * The platform's registry, read with the pod's workload identity (or whatever
     * DefaultAzureCredential finds); made when the poller first needs it, never in local mode.
     */
    @Bean
    @Lazy
    @ConditionalOnMissingBean
    ContainerRegistryClient containerRegistryClient(PlatformSettings platform) {
        return client("https://" + platform.registry(), new DefaultAzureCredentialBuilder().build());
    }

    /** Azure Resource Graph, for Defender for Cloud's findings; made when the poller first needs it. */
    @Bean
    @Lazy
    @ConditionalOnMissingBean
    ResourceGraphManager resourceGraphManager() {
        return ResourceGraphManager.authenticate(new DefaultAzureCredentialBuilder().build(),
                new AzureProfile(AzureEnvironment.AZURE));
    }

    static ContainerRegistryClient client(String endpoint, TokenCredential credential) {
        return new ContainerRegistryClientBuilder().endpoint(endpoint).addPolicy(new CatalogPaging())
                .audience(ContainerRegistryAudience.AZURE_RESOURCE_MANAGER_PUBLIC_CLOUD).credential(credential)
                .buildClient();
    }

    /**
     * A registry reached over plain http without signing in (a stand-in in tests): the client refuses
     * its token exchange there, so it gets a pipeline of its own, with the same catalog paging.
     */
    static ContainerRegistryClient unauthenticated(String endpoint) {
        return new ContainerRegistryClientBuilder().endpoint(endpoint)
                .pipeline(new HttpPipelineBuilder().policies(new CatalogPaging()).build()).buildClient();
    }
}
