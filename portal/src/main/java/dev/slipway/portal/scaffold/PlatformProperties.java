package dev.slipway.portal.scaffold;

import dev.slipway.templates.PlatformSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What every generated service shares on this platform ({@code slipway.platform.*}), and where
 * platform admins put their own templates ({@code slipway.templates.directory}).
 */
@ConfigurationProperties("slipway")
public record PlatformProperties(Platform platform, Templates templates) {

    public record Platform(String registry, List<String> allowedRegistries, String ingressDomain,
                           String ingressNamespace, String gitopsRepoUrl, String gitopsRevision, String chartRepoUrl,
                           String chartPath, String chartRevision, String argoNamespace,
                           Map<String, String> clusterServers, String viewersGroupId, String tenantId) {
    }

    public record Templates(Path directory) {
    }

    public PlatformSettings settings() {
        return new PlatformSettings(platform.registry(), platform.allowedRegistries(), platform.ingressDomain(),
                platform.ingressNamespace(), platform.gitopsRepoUrl(), platform.gitopsRevision(),
                platform.chartRepoUrl(), platform.chartPath(), platform.chartRevision(), platform.argoNamespace(),
                platform.clusterServers(), blankToNull(platform.viewersGroupId()), platform.tenantId());
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
