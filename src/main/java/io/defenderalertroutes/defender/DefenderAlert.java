package io.defenderalertroutes.defender;

/**
 * One alert as the API sent it ({@code raw}, byte for byte) and the few fields routing needs.
 * Field values are carried as text: an enum value we do not know yet is just another string. From an incidents
 * source it is one incident: {@code category} lists its alerts' categories (comma-separated, each once) and
 * {@code alertCount} counts its alerts; an alert's count is -1.
 */
public record DefenderAlert(String raw, String id, String lastUpdateTime, String status, String severity,
        String category, int alertCount) {

    public boolean incident() {
        return alertCount >= 0;
    }
}
