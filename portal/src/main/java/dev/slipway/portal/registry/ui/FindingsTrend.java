package dev.slipway.portal.registry.ui;

import com.vaadin.flow.component.Svg;
import dev.slipway.portal.registry.ServiceImages;
import java.util.List;
import java.util.Locale;
import org.springframework.web.util.HtmlUtils;

/**
 * Findings by severity over a service's recent images, oldest left: one stacked bar per scanned
 * image, drawn as plain SVG. Its only text from outside is tags, escaped.
 */
final class FindingsTrend {

    private static final String[] SEVERITIES = {"critical", "high", "medium", "low", "unknown"};
    private static final int BAR = 28;
    private static final int GAP = 14;
    private static final int HEIGHT = 120;

    private FindingsTrend() {
    }

    /** @param newestFirst the service's images as the list has them */
    static Svg of(List<ServiceImages.ImageSummary> newestFirst) {
        List<ServiceImages.ImageSummary> scanned = newestFirst.stream().filter(i -> i.severities() != null).limit(12)
                .toList().reversed();
        int most = scanned.stream().mapToInt(FindingsTrend::total).max().orElse(0);
        int width = Math.max(1, scanned.size()) * (BAR + GAP) + GAP;
        var svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\""
                + " height=\"%d\" role=\"img\" aria-label=\"Findings by severity over the recent images\">",
                width, HEIGHT + 34, width, HEIGHT + 34));
        int x = GAP;
        for (ServiceImages.ImageSummary image : scanned) {
            int y = HEIGHT;
            String label = image.tags().isEmpty() ? image.digest().substring(7, 14) : image.tags().getFirst();
            for (String severity : SEVERITIES) {
                int count = image.severities().get(severity).total();
                if (count == 0) {
                    continue;
                }
                int h = Math.max(2, Math.round((float) count * (HEIGHT - 10) / Math.max(1, most)));
                y -= h;
                svg.append(String.format(Locale.ROOT, "<rect class=\"slipway-trend-%s\" x=\"%d\" y=\"%d\" width=\"%d\""
                        + " height=\"%d\"><title>%s: %d %s</title></rect>", severity, x, y, BAR, h,
                        HtmlUtils.htmlEscape(label), count, severity));
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"slipway-trend-label\" text-anchor=\"middle\">"
                    + "%s</text>", x + BAR / 2, HEIGHT + 14, HtmlUtils.htmlEscape(shorten(label))));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"slipway-trend-label\" text-anchor=\"middle\">"
                    + "%d</text>", x + BAR / 2, HEIGHT + 28, total(image)));
            x += BAR + GAP;
        }
        svg.append("</svg>");
        var chart = new Svg(svg.toString());
        chart.addClassName("slipway-trend");
        chart.setId("findings-trend");
        return chart;
    }

    private static int total(ServiceImages.ImageSummary image) {
        return image.severities().values().stream().mapToInt(ServiceImages.Counts::total).sum();
    }

    private static String shorten(String label) {
        return label.length() <= 7 ? label : label.substring(0, 6) + "…";
    }
}
