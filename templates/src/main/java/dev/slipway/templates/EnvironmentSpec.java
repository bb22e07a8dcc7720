package dev.slipway.templates;

/** An environment as the renderer needs it: its name, its cluster, and whether it is production. */
public record EnvironmentSpec(String name, String cluster, boolean production) {

    public String namespaceOf(String team) {
        return team + "-" + name;
    }
}
