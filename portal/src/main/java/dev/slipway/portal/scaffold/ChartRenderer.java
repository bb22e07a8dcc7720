package dev.slipway.portal.scaffold;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Renders a chart with values into the Kubernetes objects Argo CD would apply. */
public interface ChartRenderer {

    /**
     * @throws InvalidChartValuesException when the chart refuses the values (its schema or a fail)
     */
    List<JsonNode> render(String chart, ObjectNode values);

    class InvalidChartValuesException extends RuntimeException {
        public InvalidChartValuesException(String message) {
            super(message);
        }
    }
}
