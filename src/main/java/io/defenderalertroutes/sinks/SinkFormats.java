package io.defenderalertroutes.sinks;

import io.defenderalertroutes.defender.AlertHeaders;
import io.defenderalertroutes.tenant.SinkSettings;
import io.defenderalertroutes.tenant.Tenant;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.DataType;
import org.apache.camel.spi.Transformer;
import org.apache.camel.spi.TransformerKey;

/**
 * The sinks' format step (routes/sinks.camel.yaml, {@code <sink>-format}): the alert in the shape the tenant's
 * {@code defender.sink.<name>.format} asks of this sink, by the same data type transformers a route of the user's
 * names in {@code transformDataType}. A step rather than a {@code transformDataType} in the YAML because the shared
 * sink routes serve every tenant, each with its own choice.
 * <p>
 * The raw alert stays on the exchange: the sinks' error handler puts it back before the dead letter
 * ({@link #restoreRaw}), so that a letter always holds the alert as Microsoft served it and its replay, going through
 * this step again, is formatted as the sink's format says then.
 */
public final class SinkFormats {

    public static final String BEAN = "defenderSinkFormats";
    /** The raw alert this exchange's sink formatted, with the version it belongs to. */
    public static final String RAW_ALERT = "DefenderRawAlert";
    /** The format the sink delivered in ({@code raw}, {@code cloudevents}...): the file sink wraps only raw alerts. */
    public static final String FORMAT = "DefenderFormat";
    /**
     * true: the formatted event keeps the raw alert too (OCSF's {@code raw_data}, ECS's {@code event.original}); set by the sink's format step from
     * {@code defender.sink.<name>.format.keep-raw}, or by a route of the user's before its data type step.
     */
    public static final String KEEP_RAW = "DefenderKeepRaw";
    /** The header each formatted event's media type is set in, as HTTP spells it. */
    public static final String CONTENT_TYPE = "Content-Type";
    /** The record header the CloudEvents Kafka binding reads the media type from. */
    static final String KAFKA_CONTENT_TYPE = "content-type";

    /** The raw alert and the alert version (its idempotency key) it is the raw text of. */
    record Raw(String key, String json) {
    }

    /** Formats the alert for {@code sink} ({@code kafka}, {@code file}, {@code http}, or a sink route of the user's). */
    public void format(Exchange exchange, String sink) throws Exception {
        Message message = exchange.getMessage();
        String raw = rememberRaw(exchange);
        SinkSettings sinks = Tenant.of(exchange).sinks();
        SinkFormat format = SinkFormat.byKey(sinks.format(sink)).orElse(SinkFormat.DEFAULT);
        exchange.setProperty(FORMAT, format.key());
        exchange.setProperty(KEEP_RAW, sinks.keepingRaw().contains(sink));
        // again from the raw alert, whatever the body is now: a record Kafka refused comes back formatted
        message.setBody(raw);
        apply(exchange, format);
    }

    /** The body (a raw alert with its Defender-* headers) in {@code format}, by its data type transformer. */
    public static void apply(Exchange exchange, SinkFormat format) throws Exception {
        if (format != SinkFormat.RAW) {
            transformer(exchange.getContext(), format)
                    .transform(exchange.getMessage(), DataType.ANY, new DataType(format.dataType()));
        }
    }

    /**
     * Renames a formatted event's {@code Content-Type} header {@code content-type}, as the CloudEvents Kafka protocol
     * binding spells it (its HTTP binding keeps HTTP's spelling). Camel's header names ignore case, and a header keeps
     * the spelling it was first set with, so the header is taken off and set again.
     */
    public void kafkaContentType(Message message) {
        Object type = message.removeHeader(CONTENT_TYPE);
        if (type != null) {
            message.setHeader(KAFKA_CONTENT_TYPE, type);
        }
    }

    /** Puts the raw alert back as the body, before it goes to the dead letter; nothing if no sink formatted it. */
    public void restoreRaw(Exchange exchange) {
        Raw raw = kept(exchange);
        if (raw != null) {
            exchange.getMessage().setBody(raw.json());
        }
    }

    /**
     * Whether the sink delivers the raw alert: the file sink wraps that in its envelope, while a formatted event
     * carries its own metadata and is written alone.
     */
    public boolean raw(Exchange exchange) {
        return SinkFormat.RAW.key().equals(exchange.getProperty(FORMAT, SinkFormat.RAW.key(), String.class));
    }

    /** Carries the raw alert from one exchange to another that sends the same alert version again. */
    public static void carryRaw(Exchange from, Exchange to) {
        Object raw = from.getProperty(RAW_ALERT);
        if (raw != null) {
            to.setProperty(RAW_ALERT, raw);
        }
    }

    /** The raw alert of this version, taken from the body the first time a sink formats it. */
    private static String rememberRaw(Exchange exchange) {
        Raw kept = kept(exchange);
        if (kept != null) {
            return kept.json();
        }
        String raw = exchange.getMessage().getBody(String.class);
        exchange.setProperty(RAW_ALERT, new Raw(key(exchange), raw));
        return raw;
    }

    /**
     * The raw alert kept for this alert version only: an exchange copied from another alert's (an incident's, whose
     * alerts are split off after its sinks) must not deliver that one's text.
     */
    private static Raw kept(Exchange exchange) {
        Raw raw = exchange.getProperty(RAW_ALERT, Raw.class);
        return raw != null && java.util.Objects.equals(raw.key(), key(exchange)) ? raw : null;
    }

    private static String key(Exchange exchange) {
        return exchange.getMessage().getHeader(AlertHeaders.IDEMPOTENCY_KEY, String.class);
    }

    private static Transformer transformer(CamelContext context, SinkFormat format) {
        Transformer transformer = context.getTransformerRegistry()
                .resolveTransformer(new TransformerKey(new DataType(format.dataType())));
        if (transformer == null) {
            throw new IllegalStateException("no Camel data type transformer named " + format.dataType()
                    + " on the class path (META-INF/services/org/apache/camel/transformer)");
        }
        return transformer;
    }
}
