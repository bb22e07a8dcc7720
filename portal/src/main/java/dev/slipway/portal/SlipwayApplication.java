package dev.slipway.portal;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class SlipwayApplication {

    /**
     * JGit hashes with its own SHA-1 that detects SHAttered-style collisions, about ten times slower
     * than the JDK's (which uses the CPU's SHA instructions); every commit rehashes the trees it
     * rewrites, some of which list every service of a cluster. The objects Slipway hashes are its
     * own YAML (printable text: no room for collision blocks) and what it fetches from the GitOps
     * remote it is configured to trust, so the JDK's digest is used unless configured otherwise.
     */
    static final String JGIT_SHA1 = "org.eclipse.jgit.util.sha1.implementation";

    public static void main(String[] args) {
        if (System.getProperty(JGIT_SHA1) == null) {
            System.setProperty(JGIT_SHA1, "jdkNative");
        }
        SpringApplication.run(SlipwayApplication.class, args);
    }
}
