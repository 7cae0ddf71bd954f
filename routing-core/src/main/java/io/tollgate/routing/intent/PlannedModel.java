package io.tollgate.routing.intent;

/**
 * A model written {@code executor:planning:planner}: the planner writes a plan for hard
 * requests, the executor answers with it.
 *
 * @param executor the model that answers
 * @param planner the model that plans
 */
public record PlannedModel(String executor, String planner) {

	private static final String MARK = ":planning:";

	/**
	 * Reads a model name.
	 * @param model the requested model
	 * @return the two models, or {@code null} when the name is a plain model
	 */
	public static PlannedModel parse(String model) {
		int mark = model.indexOf(MARK);
		if (mark <= 0 || mark + MARK.length() >= model.length()) {
			return null;
		}
		String planner = model.substring(mark + MARK.length());
		if (planner.contains(MARK)) {
			return null;
		}
		return new PlannedModel(model.substring(0, mark), planner);
	}

}
