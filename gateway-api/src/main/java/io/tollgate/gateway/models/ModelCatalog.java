package io.tollgate.gateway.models;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.tollgate.billing.directory.AccountView;
import io.tollgate.billing.directory.GroupView;
import io.tollgate.billing.directory.KeyGrant;
import io.tollgate.billing.price.Price;
import io.tollgate.billing.price.PriceBook;
import io.tollgate.routing.mapping.ModelMapper;
import io.tollgate.routing.mapping.ModelPatterns;

/**
 * The models a key can ask for: the names its group's mapping accepts (exact names, and
 * the fixed targets of glob rules, which the rules accept too; with no mapping, the exact
 * model names of the accounts), kept when the key may use them, at least one active
 * account serves them and they have a price.
 */
final class ModelCatalog {

	private ModelCatalog() {
	}

	/**
	 * The servable models, by id.
	 * @param grant the key
	 * @param group its group
	 * @param prices the price book
	 * @param now the time prices are looked up at
	 * @return model id to the time it is listed as created
	 */
	static TreeMap<String, Instant> of(KeyGrant grant, GroupView group, PriceBook prices, Instant now) {
		ModelMapper mapper = ModelMapper.of(group.modelMapping());
		TreeSet<String> names = new TreeSet<>();
		if (mapper.isIdentity()) {
			for (GroupView.Member member : group.members()) {
				AccountView account = member.account();
				account.models().stream().filter((model) -> model.indexOf('*') < 0).forEach(names::add);
				account.modelMapping().keySet().stream().filter((model) -> model.indexOf('*') < 0).forEach(names::add);
			}
		}
		else {
			names.addAll(mapper.exactModels());
			for (Map.Entry<String, String> rule : group.modelMapping().entrySet()) {
				if (rule.getKey().indexOf('*') >= 0 && rule.getValue().indexOf('*') < 0) {
					names.add(rule.getValue());
				}
			}
		}
		TreeMap<String, Instant> models = new TreeMap<>();
		for (String name : names) {
			if (!ModelPatterns.anyMatches(grant.allowedModels(), name)) {
				continue;
			}
			String upstream = mapper.map(name).orElse(null);
			if (upstream == null || !served(group, upstream)) {
				continue;
			}
			prices.priceOf(upstream, now)
				.ifPresent((price) -> models.put(name,
						(price.effectiveFrom() != null) ? price.effectiveFrom() : Instant.EPOCH));
		}
		return models;
	}

	private static boolean served(GroupView group, String upstream) {
		for (GroupView.Member member : group.members()) {
			AccountView account = member.account();
			if (account.active() && ModelPatterns.anyMatches(account.models(), upstream)
					&& ModelMapper.of(account.modelMapping()).map(upstream).isPresent()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * One page of ids, Anthropic style.
	 * @param ids every id, sorted
	 * @param limit page size
	 * @param afterId the page starts after this id, or {@code null}
	 * @param beforeId the page ends before this id, or {@code null}
	 * @return the page and whether more lie in the direction of paging
	 */
	static Page page(List<String> ids, int limit, String afterId, String beforeId) {
		List<String> window = new ArrayList<>();
		for (String id : ids) {
			if ((afterId == null || id.compareTo(afterId) > 0) && (beforeId == null || id.compareTo(beforeId) < 0)) {
				window.add(id);
			}
		}
		if (window.size() <= limit) {
			return new Page(window, false);
		}
		if (beforeId != null && afterId == null) {
			return new Page(window.subList(window.size() - limit, window.size()), true);
		}
		return new Page(window.subList(0, limit), true);
	}

	/**
	 * A page of model ids.
	 *
	 * @param ids the ids on the page
	 * @param hasMore whether more lie beyond it
	 */
	record Page(List<String> ids, boolean hasMore) {
	}

}
