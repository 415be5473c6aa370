package io.defenderalertroutes.defender;

/**
 * One alert as the API sent it ({@code raw}, byte for byte) and the few fields routing needs.
 * Field values are carried as text: an enum value we do not know yet is just another string.
 */
public record DefenderAlert(String raw, String id, String lastUpdateTime, String status, String severity,
        String category) {
}
