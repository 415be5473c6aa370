package io.defenderalertroutes.actions;

import java.time.Duration;
import java.time.Instant;

/**
 * One request on its way through the action route: where it stands (called, being followed, done) and what is known
 * of its result. The route reads {@link #done()}, {@link #following()} and {@link #nextCheckMillis()}.
 */
public final class ActionRun {

    /** The exchange property holding the run. */
    public static final String PROPERTY = "DefenderActionRun";

    private final ActionRequest request;
    private final ActionTenant tenant;
    private boolean answeredWithoutRunning;
    private String outcome;
    private Integer httpStatus;
    private String machineActionId;
    private String machineActionStatus;
    private String packageUri;
    private String error;
    private Instant deadline;
    private Duration nextCheck;
    private boolean fetchPackage;
    private String commentNext;
    private ActionResult result;
    private String storedResult;

    ActionRun(ActionRequest request, ActionTenant tenant) {
        this.request = request;
        this.tenant = tenant;
    }

    /** A request rejected before anything was called. */
    static ActionRun ofRejection(ActionResult result) {
        ActionRun run = new ActionRun(null, null);
        run.result = result;
        return run;
    }

    /** A requestId another run holds: answered as already in progress, nothing called, nothing kept. */
    static ActionRun ofClaimed(ActionRequest request, Instant now) {
        ActionRun run = new ActionRun(request, null);
        run.answeredWithoutRunning = true;
        run.result = new ActionResult(request.requestId(), request.tenant(), request.kind().key(), request.target(),
                ActionResult.ALREADY_IN_PROGRESS, null, null, null, null, "request " + request.requestId()
                        + " is being executed by another run; its result will be kept under the same requestId",
                request.requestedAt(), now, request.origin());
        return run;
    }

    /** A repeated requestId: the stored result is the answer, and nothing is called. */
    static ActionRun ofRepeat(ActionRequest request, String storedResult) {
        ActionRun run = new ActionRun(request, null);
        run.storedResult = storedResult;
        return run;
    }

    public ActionRequest request() {
        return request;
    }

    public ActionTenant tenant() {
        return tenant;
    }

    /** Nothing (more) to call: rejected, repeated, or finished. */
    public boolean done() {
        return result != null || storedResult != null || outcome != null && !following();
    }

    public boolean following() {
        return deadline != null && outcome == null;
    }

    public long nextCheckMillis() {
        return nextCheck == null ? 0 : nextCheck.toMillis();
    }

    /** Rejected before anything was called. */
    public boolean rejected() {
        return result != null && ActionResult.REJECTED.equals(result.outcome());
    }

    /** This run called Microsoft (or was meant to): its result is kept under its requestId. */
    boolean executed() {
        return request != null && tenant != null && !answeredWithoutRunning;
    }

    public boolean repeated() {
        return storedResult != null;
    }

    String storedResult() {
        return storedResult;
    }

    /** A Graph alert update's comment, still to be added by a call of its own. */
    String commentNext() {
        return commentNext;
    }

    void commentNext(String comment) {
        this.commentNext = comment;
    }

    String outcome() {
        return outcome;
    }

    String error() {
        return error;
    }

    boolean fetchPackage() {
        return fetchPackage;
    }

    String machineActionId() {
        return machineActionId;
    }

    void answered(int status) {
        this.httpStatus = status;
    }

    void finish(String outcome, String error) {
        this.outcome = outcome;
        this.error = error;
    }

    void machineAction(String id, String status) {
        this.machineActionId = id;
        this.machineActionStatus = status;
    }

    void follow(Instant deadline, Duration firstCheck) {
        this.deadline = deadline;
        this.nextCheck = firstCheck;
    }

    Instant deadline() {
        return deadline;
    }

    /** The next check twice as late as the last (the first wait again after an immediate one), at most longest. */
    void backOff(Duration first, Duration longest) {
        if (nextCheck.isZero()) {
            nextCheck = first;
            return;
        }
        Duration doubled = nextCheck.multipliedBy(2);
        nextCheck = doubled.compareTo(longest) > 0 ? longest : doubled;
    }

    void fetchPackageNext() {
        this.fetchPackage = true;
        this.nextCheck = Duration.ZERO;
    }

    void packageUri(String uri) {
        this.packageUri = uri;
        this.fetchPackage = false;
    }

    /** The result, once done. */
    ActionResult result(Instant now) {
        if (result == null) {
            result = new ActionResult(request.requestId(), request.tenant(), request.kind().key(), request.target(),
                    outcome, httpStatus, machineActionId, machineActionStatus, packageUri, error,
                    request.requestedAt(), now, request.origin());
        }
        return result;
    }
}
