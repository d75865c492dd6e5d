package io.hvprobe.tests;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.spi.Severity;
import io.hvprobe.verify.Verification;
import io.hvprobe.verify.Verifier;
import io.hvprobe.verify.VerifyOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hypervisor session is part of the state every run starts from: a function that uses a GuestRPC channel (or a
 * started balloon) that an earlier call set up is verified with its baseline and every rerun starting from the same
 * captured session, so the channel is open with the same cookies in each of them and nothing is blamed on a register.
 */
class SessionStartStateTest {
    /** One function opens a channel with cookies and keeps it in a static; the other uses it and closes it. */
    static final String CHANNEL = """
            #include "hvp/rpc.h"
            static struct hvp_chan chan;
            static char reply[64];
            HVP_EXPORT int open_channel(void)
            {
            	return hvp_rpc_open(&chan);
            }
            HVP_EXPORT long ask_and_close(void)
            {
            	static const char msg[] = "info-get guestinfo.hvp.answer";

            	if (hvp_rpc_send_lb(&chan, msg, sizeof msg - 1) < 0)
            		return -1;
            	long n = hvp_rpc_recv_lb(&chan, reply, sizeof reply);
            	if (hvp_rpc_close(&chan) < 0)
            		return -2;
            	return n;
            }
            """;

    /** x86 only (port 0x5670): START in one call, GET_TARGET (valid only after START) in another. */
    static final String BALLOON = """
            static unsigned long balloon_cmd(unsigned long cmd, unsigned long arg, unsigned long *rbx_out)
            {
            	unsigned long status, rbx, rcx, rdx, rsi;

            	asm volatile("inl %%dx"
            		     : "=a"(status), "=b"(rbx), "=c"(rcx), "=d"(rdx), "=S"(rsi)
            		     : "0"(0x456C6D6Ful), "1"(arg), "2"(cmd), "3"(0x5670ul), "4"(0ul)
            		     : "memory");
            	*rbx_out = rbx;
            	return status;
            }
            __attribute__((noinline, used)) long balloon_start(void)
            {
            	unsigned long caps;

            	return (long)balloon_cmd(0, 1ul << 1, &caps);
            }
            __attribute__((noinline, used)) long balloon_target(void)
            {
            	unsigned long target;

            	if (balloon_cmd(1, 0x40000, &target) != 0)
            		return -1;
            	return (long)target;
            }
            """;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(GuestBuild.class)
    void aChannelOpenedBeforeTheVerifiedCallIsOpenInItsBaselineAndEveryRerun(GuestBuild build) throws Exception {
        Path object = build.compile(dir, "channel", CHANNEL);
        try (Probe probe = Probe.open(object, ProbeOptions.defaults())) {
            assertThat(probe.runContinuing(GuestCall.of("open_channel")).returnValue()).isZero();
            probe.startRunsFromHere();

            Verification v = new Verifier(VerifyOptions.defaults()).verify(probe, GuestCall.of("ask_and_close"));

            // The reply "0 No value found": the channel and its cookies came from the start session.
            assertThat(v.run().returnValue()).isEqualTo(16);
            assertThat(v.findings()).filteredOn(f -> f.finding().severity() != Severity.NOTE).isEmpty();
            assertThat(v.run().hypercalls()).extracting(h -> h.command()).startsWith("MESSAGE.SENDSIZE")
                    .endsWith("MESSAGE.CLOSE");
            // The baseline closed the channel; the next run starts with it open again.
            assertThat(probe.run(GuestCall.of("ask_and_close")).returnValue()).isEqualTo(16);
        }
    }

    @Test
    void aBalloonStartedBeforeTheVerifiedCallIsStartedInItsBaselineAndEveryRerun() throws Exception {
        Path object = GuestBuild.X86_64_PORT.compile(dir, "balloon", BALLOON);
        try (Probe probe = Probe.open(object, ProbeOptions.defaults())) {
            assertThat(probe.run(GuestCall.of("balloon_target")).returnValue()).isEqualTo(-1);
            assertThat(probe.runContinuing(GuestCall.of("balloon_start")).returnValue()).isEqualTo(0x0300_0000L);
            probe.startRunsFromHere();

            Verification v = new Verifier(VerifyOptions.defaults()).verify(probe, GuestCall.of("balloon_target"));

            assertThat(v.run().returnValue()).isNotNegative();
            assertThat(v.findings()).filteredOn(f -> f.finding().severity() != Severity.NOTE).isEmpty();
        }
    }
}
