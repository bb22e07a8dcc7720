package dev.slipway.portal.catalog;

import java.time.Instant;
import java.util.UUID;

/** A microservice a team owns, created from a template. */
public record Service(UUID id, String team, String name, String templateId, String templateVersion,
                      String description, String createdBy, Instant createdAt) {
}
