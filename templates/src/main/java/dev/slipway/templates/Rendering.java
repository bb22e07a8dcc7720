package dev.slipway.templates;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * What the renderer made of a service: the files for the GitOps repository, and per environment
 * the chart values Argo CD will pass to the chart (shared values with the environment's on top),
 * so that the chart can be rendered and checked before anything is written.
 */
public record Rendering(ChangeSet changeSet, Map<String, ObjectNode> chartValues) {

    public Rendering {
        chartValues = Map.copyOf(chartValues);
    }
}
