package dev.slipway.templates;

import java.util.List;
import java.util.stream.Collectors;

/** The request cannot become a service: every rule it breaks, each with the field at fault. */
public class InvalidServiceException extends RuntimeException {

    private final List<Violation> violations;

    public InvalidServiceException(List<Violation> violations) {
        super(violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
