package io.defenderalertroutes.sinks;

import org.apache.camel.Message;
import org.apache.camel.spi.DataType;
import org.apache.camel.spi.DataTypeTransformer;
import org.apache.camel.spi.Transformer;

/**
 * The alert as Microsoft served it: nothing to do. A transformer all the same, so that every value of
 * {@code defender.sink.<name>.format} names one, and a route may choose among them with one expression.
 */
@DataTypeTransformer(name = "defender:raw", description = "Leaves a Microsoft Defender alert's JSON as Microsoft served it")
public final class RawTransformer extends Transformer {

    @Override
    public void transform(Message message, DataType from, DataType to) {
        // the raw alert is already the body
    }
}
