package io.tollgate.gateway.observability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples of one Prometheus text scrape, for assertions on names, labels and values.
 */
final class MetricsScrape {

	private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	private final List<Sample> samples = new ArrayList<>();

	MetricsScrape(String text) {
		for (String line : text.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			int brace = line.indexOf('{');
			int space = line.lastIndexOf(' ');
			String name = (brace > 0) ? line.substring(0, brace) : line.substring(0, space);
			Map<String, String> labels = new LinkedHashMap<>();
			if (brace > 0) {
				Matcher matcher = LABEL.matcher(line.substring(brace, line.lastIndexOf('}') + 1));
				while (matcher.find()) {
					labels.put(matcher.group(1), matcher.group(2));
				}
			}
			this.samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
		}
	}

	/** The samples of a name whose labels include the given ones. */
	List<Sample> find(String name, Map<String, String> labels) {
		return this.samples.stream()
			.filter((sample) -> sample.name().equals(name))
			.filter((sample) -> sample.labels().entrySet().containsAll(labels.entrySet()))
			.toList();
	}

	/** The sum of the matching samples' values. */
	double sum(String name, Map<String, String> labels) {
		return find(name, labels).stream().mapToDouble(Sample::value).sum();
	}

	record Sample(String name, Map<String, String> labels, double value) {
	}

}
