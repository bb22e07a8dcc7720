package dev.slipway.portal.gitops;

import dev.slipway.gitops.GitOpsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.resolver.ServiceNotEnabledException;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Local mode's GitOps repository over HTTP at {@code /git/gitops.git}, read-only, so that Argo CD
 * or {@code git clone} can follow it. Only a repository on this machine is served; pushes are
 * refused (Slipway's worker is the only writer).
 */
@Configuration(proxyBeanMethods = false)
class GitHttp {

    static final String PATH = "/git/*";
    static final String NAME = "gitops.git";

    @Bean
    ServletRegistrationBean<GitServlet> gitServlet(GitOpsWriter writer) {
        var servlet = new GitServlet();
        String remote = writer.settings().remoteUri();
        Path local = remote.startsWith("file:") ? Path.of(java.net.URI.create(remote)) : remote.contains("://") ? null : Path.of(remote);
        servlet.setRepositoryResolver((request, name) -> {
            if (local == null || !NAME.equals(name) || !Files.isDirectory(local)) {
                throw new RepositoryNotFoundException(name);
            }
            try {
                Repository repository = new FileRepositoryBuilder().setGitDir(local.toFile()).setBare().build();
                return repository;
            } catch (IOException e) {
                throw new RepositoryNotFoundException(name, e);
            }
        });
        servlet.setReceivePackFactory((request, repository) -> {
            throw new ServiceNotEnabledException("this repository is read-only: Slipway writes it");
        });
        var registration = new ServletRegistrationBean<>(servlet, PATH);
        registration.setName("gitops-http");
        return registration;
    }
}
