package io.defenderalertroutes.tenant;

import java.util.List;

import org.apache.camel.Processor;

/**
 * How a tenant's alerts are delivered by the shared sink routes, which read these from the {@link Tenant} each alert
 * carries: {@code ${exchangeProperty.DefenderTenant.sinks.fileDir}}. A setting of a sink the tenant does not use is
 * null (or empty).
 *
 * @param kafkaTopic the topic as written: a name, or a Camel simple expression such as
 *                   {@code alerts-${header.Defender-Tenant}} evaluated for each alert
 * @param fileDir    the directory of the file sink
 * @param handlers   the HTTP sink's playbook handlers, in order
 * @param retries    retries of a failing sink before the dead letter
 * @param kafkaBatch whether the Kafka sink sends a page's records as one batch, acknowledged together
 *                   ({@code defender.sink.kafka.batch}), rather than each alert's record on its own
 * @param holding    the endpoints of the sinks whose failure fails the poll ({@code on-failure=hold}) rather than
 *                   dead-lettering the alert: the checkpoint and the dedup keys stay, and the next poll delivers
 * @param formats    by sink name ({@code kafka}, {@code file}, {@code http}, a sink route of the user's), the shape it
 *                   delivers ({@code defender.sink.<name>.format}); a sink not in it delivers the raw alert
 * @param keepingRaw the names of the sinks whose formatted events keep the raw alert too
 *                   ({@code defender.sink.<name>.format.keep-raw}: OCSF's {@code raw_data}, ECS's {@code event.original})
 */
public record SinkSettings(String kafkaTopic, String fileDir, List<Handler> handlers, int retries,
        boolean kafkaBatch, java.util.Set<String> holding, java.util.Map<String, String> formats,
        java.util.Set<String> keepingRaw) {

    /** What a sink not configured otherwise delivers: the alert as Microsoft served it. */
    public static final String RAW = "raw";

    /** A playbook handler: its URL, and what signs each request for it (its secret and token stay inside). */
    public record Handler(String url, Processor signer) {

        @Override
        public String toString() {
            return url + " " + signer;
        }
    }

    public SinkSettings {
        handlers = List.copyOf(handlers);
        holding = java.util.Set.copyOf(holding);
        formats = java.util.Map.copyOf(formats);
        keepingRaw = java.util.Set.copyOf(keepingRaw);
    }

    /** The format of the sink named {@code sink}, {@value #RAW} unless set. */
    public String format(String sink) {
        return formats.getOrDefault(sink, RAW);
    }
}
