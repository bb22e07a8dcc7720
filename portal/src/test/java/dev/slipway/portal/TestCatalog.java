package dev.slipway.portal;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Puts services in the catalog the way the scaffold feature will, for tests that read them. */
public final class TestCatalog {

    private TestCatalog() {
    }

    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static UUID insertService(JdbcClient jdbc, String team, String name, String description) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        insert into services (id, team_id, name, template_id, template_version, description, created_by)
                        select ?, id, ?, 'http-service', '1.0.0', ?, 'dev-alice' from teams where name = ?""")
                .params(id, name, description, team).update();
        return id;
    }
}
