package dev.slipway.portal.gitops;

import dev.slipway.gitops.GitOpsWriter;
import dev.slipway.gitops.LocalPullRequests;
import dev.slipway.gitops.ProposeCommand;
import dev.slipway.gitops.pullrequest.AzureDevOpsPullRequests;
import dev.slipway.gitops.pullrequest.GitHubPullRequests;
import dev.slipway.gitops.pullrequest.PullRequestProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.slipway.portal.database.DataDirectory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class GitOpsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(GitOpsConfiguration.class);

    @Bean(destroyMethod = "close")
    GitOpsWriter gitOpsWriter(GitOpsProperties properties, DataDirectory dataDir, java.time.Clock clock)
            throws IOException, GitAPIException {
        String remote = properties.remote() == null || properties.remote().isBlank()
                ? dataDir.resolve("gitops.git").toString() : properties.remote();
        if (!remote.contains("://") && !Files.exists(Path.of(remote))) {
            // local mode: the GitOps repository is a bare repository of our own
            Git.init().setBare(true).setDirectory(Path.of(remote).toFile()).setInitialBranch(properties.branch())
                    .call().close();
            log.info("Created the local GitOps repository {}", remote);
        }
        var credentials = properties.token() == null || properties.token().isBlank() ? null
                : new UsernamePasswordCredentialsProvider(
                        properties.username() == null ? "slipway" : properties.username(), properties.token());
        return new GitOpsWriter(new GitOpsWriter.Settings(remote, properties.branch(),
                dataDir.resolve("gitops-clone"), credentials, properties.maxBatch(), 0, null, clock, new YamlMergePatch()));
    }

    /** The time pull-request following and its rate-limit pauses go by; tests set their own. */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean
    java.time.Clock clock() {
        return java.time.Clock.systemUTC();
    }

    /** Locks in PostgreSQL (the shedlock table), on the database's clock: periodic work one replica does. */
    @Bean
    net.javacrumbs.shedlock.core.LockProvider lockProvider(javax.sql.DataSource dataSource) {
        return new net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider(
                net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider.Configuration.builder()
                        .withJdbcTemplate(new org.springframework.jdbc.core.JdbcTemplate(dataSource))
                        .usingDbTime().build());
    }

    @Bean
    PullRequestProvider pullRequestProvider(GitOpsProperties properties, GitOpsWriter writer) {
        return switch (properties.pullRequests()) {
            // a local pull request has no page of its own: the change's page shows its state and diff
            case "local" -> new LocalPullRequests(writer, branch -> branch.startsWith(ProposeCommand.BRANCH_PREFIX)
                    ? "/changes/" + branch.substring(ProposeCommand.BRANCH_PREFIX.length()) : "/changes");
            case "github" -> {
                var github = require(properties.github(), "slipway.gitops.github.owner and .repository");
                yield new GitHubPullRequests(github.apiUrl() == null || github.apiUrl().isBlank()
                        ? "https://api.github.com" : github.apiUrl(), github.owner(), github.repository(),
                        requireToken(properties));
            }
            case "azure-devops" -> {
                var azure = require(properties.azureDevops(),
                        "slipway.gitops.azure-devops.organization-url, .project and .repository");
                yield new AzureDevOpsPullRequests(azure.organizationUrl(), azure.project(), azure.repository(),
                        requireToken(properties));
            }
            default -> throw new IllegalArgumentException("slipway.gitops.pull-requests: " + properties.pullRequests()
                    + " is not a provider (known: local, github, azure-devops)");
        };
    }

    private static <T> T require(T section, String what) {
        if (section == null) {
            throw new IllegalArgumentException("configure " + what + " for this pull request provider");
        }
        return section;
    }

    private static String requireToken(GitOpsProperties properties) {
        if (properties.token() == null || properties.token().isBlank()) {
            throw new IllegalArgumentException("slipway.gitops.token is needed to call the pull request provider's API");
        }
        return properties.token();
    }
}
