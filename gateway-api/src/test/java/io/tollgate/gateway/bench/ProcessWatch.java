package io.tollgate.gateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a process's CPU time and resident memory from {@code /proc}; a pid of 0 reads
 * nothing and reports -1.
 */
final class ProcessWatch {

	private final long pid;

	private final int hz;

	private volatile long peakRssKb = -1;

	ProcessWatch(long pid, int hz) {
		this.pid = pid;
		this.hz = hz;
	}

	/** User plus system CPU time so far, in milliseconds. */
	long cpuMillis() {
		if (this.pid <= 0) {
			return -1;
		}
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(this.pid), "stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			// after the command: state is field 3, utime field 14 and stime field 15
			long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			return ticks * 1000 / this.hz;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	void sampleMemory() {
		long rss = statusKb("VmRSS:");
		if (rss > this.peakRssKb) {
			this.peakRssKb = rss;
		}
	}

	long peakRssKb() {
		return this.peakRssKb;
	}

	/** The process's peak resident memory since it started (VmHWM). */
	long highWaterMarkKb() {
		return statusKb("VmHWM:");
	}

	private long statusKb(String field) {
		if (this.pid <= 0) {
			return -1;
		}
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(this.pid), "status"))) {
				if (line.startsWith(field)) {
					return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
		return -1;
	}

}
