package io.tollgate.admin.console;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.billing.usage.UsageQuarantine;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The usage quarantine: finished requests whose usage the database refused or whose
 * journal entry could not be read, with the reason, kept for an admin to settle by hand.
 */
@Controller
@ConsoleEnabled
class QuarantinePages {

	private static final int PAGE_SIZE = 100;

	private final UsageQuarantine quarantine;

	QuarantinePages(UsageQuarantine quarantine) {
		this.quarantine = quarantine;
	}

	@GetMapping("/admin/usage/quarantine")
	Mono<String> quarantine(@RequestParam(defaultValue = "0") int page, Model model) {
		int pageNumber = Math.max(page, 0);
		return Mono.zip(this.quarantine.page(pageNumber, PAGE_SIZE), this.quarantine.count()).map((t) -> {
			model.addAttribute("entries", t.getT1());
			model.addAttribute("total", t.getT2());
			model.addAttribute("page", pageNumber);
			model.addAttribute("hasNext", t.getT1().size() == PAGE_SIZE);
			return "admin/quarantine";
		});
	}

}
