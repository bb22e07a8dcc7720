package dev.slipway.templates;

/** The service being created: its team, its name and what its owners say it does. */
public record ServiceSpec(String team, String name, String description) {
}
