package io.tollgate.routing.intent;

import java.util.List;

/**
 * An intent a request can be routed by: a name, what it covers, and the models that serve
 * it, strongest first.
 *
 * @param name the tag's name
 * @param description what kind of request it covers, for the router model
 * @param models the models for it, strongest first
 */
public record Tag(String name, String description, List<String> models) {

	public Tag {
		models = List.copyOf(models);
	}

	/**
	 * The model for a request of this complexity: the strongest for the most complex, the
	 * weakest for the simplest, and evenly in between.
	 * @param complexity from 0 (trivial) to 1 (hardest)
	 * @return the model
	 */
	public String modelFor(double complexity) {
		double clamped = Math.max(0, Math.min(1, complexity));
		int index = (int) Math.round((1 - clamped) * (this.models.size() - 1));
		return this.models.get(index);
	}

}
