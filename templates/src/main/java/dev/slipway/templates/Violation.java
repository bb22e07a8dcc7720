package dev.slipway.templates;

/** One broken rule: where (a field path such as {@code parameters.resources.limits.cpu}) and why. */
public record Violation(String path, String message) {

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
