package io.tollgate.admin.console;

import java.util.Optional;

import io.tollgate.billing.secondfactor.Enrolment;
import io.tollgate.billing.secondfactor.SecondFactorSubject;
import io.tollgate.billing.secondfactor.SecondFactors;
import reactor.core.publisher.Mono;

import org.springframework.ui.Model;

/**
 * What a user's own Security page shows of its second factor, in the console and in the
 * portal (template fragment {@code shared/security}): whether it is on, and an enrolment
 * in progress with its QR code.
 */
public final class SecondFactorPage {

	private SecondFactorPage() {
	}

	/**
	 * Fills the model and names the view.
	 * @param factors the second factors
	 * @param subject whose page it is
	 * @param model the page's model
	 * @param view the view to render
	 * @return the view, once the model is filled
	 */
	public static Mono<String> render(SecondFactors factors, SecondFactorSubject subject, Model model, String view) {
		return Mono
			.zip(factors.state(subject),
					factors.pending(subject).map(Optional::of).defaultIfEmpty(Optional.<Enrolment>empty()))
			.map((t) -> {
				model.addAttribute("state", t.getT1());
				t.getT2().ifPresent((enrolment) -> {
					model.addAttribute("enrolment", enrolment);
					model.addAttribute("qr", QrCodes.svg(enrolment.uri(), "totp-qr"));
				});
				return view;
			});
	}

}
