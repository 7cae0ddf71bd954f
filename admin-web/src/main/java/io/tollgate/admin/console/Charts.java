package io.tollgate.admin.console;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

import org.springframework.web.util.HtmlUtils;

/**
 * Small server-rendered SVG bar charts: no script, no external asset.
 */
public final class Charts {

	private static final int WIDTH = 560;

	private static final int HEIGHT = 160;

	private static final int AXIS = 20;

	private Charts() {
	}

	/**
	 * A bar chart.
	 * @param title accessible title
	 * @param labels one label per bar (e.g. a day)
	 * @param values one value per bar
	 * @param format how a value is shown in its tooltip and on the axis
	 * @return the SVG markup
	 */
	public static String bars(String title, List<String> labels, List<Double> values, DoubleFunction<String> format) {
		double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT,
				"<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\"><title>%s</title>", WIDTH,
				HEIGHT + AXIS, esc(title), esc(title)));
		svg.append(String.format(Locale.ROOT,
				"<line x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/><text x=\"2\" y=\"12\" class=\"max\">%s</text>",
				HEIGHT, WIDTH, HEIGHT, esc(format.apply(max))));
		int n = Math.max(values.size(), 1);
		double slot = (double) WIDTH / n;
		for (int i = 0; i < values.size(); i++) {
			double value = values.get(i);
			double height = (max > 0) ? (value / max) * (HEIGHT - 16) : 0;
			double x = i * slot + slot * 0.15;
			svg.append(String.format(Locale.ROOT,
					"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s: %s</title></rect>", x,
					HEIGHT - height, slot * 0.7, height, esc(labels.get(i)), esc(format.apply(value))));
			if (values.size() <= 16 || i % Math.ceil(values.size() / 8.0) == 0) {
				svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"label\">%s</text>",
						x + slot * 0.35, HEIGHT + 14, esc(shortLabel(labels.get(i)))));
			}
		}
		if (values.isEmpty()) {
			svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"empty\">no usage yet</text>",
					WIDTH / 2, HEIGHT / 2));
		}
		return svg.append("</svg>").toString();
	}

	private static String shortLabel(String label) {
		return (label.length() == 10) ? label.substring(5) : label;
	}

	private static String esc(String text) {
		return HtmlUtils.htmlEscape(text);
	}

}
