package io.tollgate.gateway.fake;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts byte sequences inside a multi-byte UTF-8 character, for upstreams whose writes end
 * mid-character.
 */
final class Utf8Split {

	private Utf8Split() {
	}

	/**
	 * Each piece in two: cut after the first byte of its first multi-byte character, or
	 * in its middle when it has none.
	 */
	static List<byte[]> halves(List<byte[]> pieces) {
		List<byte[]> split = new ArrayList<>(pieces.size() * 2);
		for (byte[] piece : pieces) {
			int cut = piece.length / 2;
			for (int i = 0; i < piece.length; i++) {
				if ((piece[i] & 0xC0) == 0xC0) {
					cut = i + 1;
					break;
				}
			}
			if (cut == 0 || cut == piece.length) {
				split.add(piece);
				continue;
			}
			split.add(Arrays.copyOfRange(piece, 0, cut));
			split.add(Arrays.copyOfRange(piece, cut, piece.length));
		}
		return split;
	}

}
