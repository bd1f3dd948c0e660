package dev.robustsynth.cli;

/** Names fixed by the wire contract v1 (docs/MESSAGES.md): topics, CloudEvents headers and types. */
public final class WireContract {
    public static final String TASKS_TOPIC = "rsynth.tasks";
    public static final String RESULTS_TOPIC = "rsynth.results";
    public static final String PROGRESS_TOPIC = "rsynth.progress";
    public static final String CONTROL_TOPIC = "rsynth.control";
    public static final String DLQ_TOPIC = "rsynth.tasks.dlq";
    /** Bulk job requests (job.v1), key = job id. */
    public static final String JOBS_TOPIC = "rsynth.jobs";
    /** Bulk job status (job-status.v1), compacted, key = job id. */
    public static final String JOB_STATUS_TOPIC = "rsynth.jobs.status";

    public static final String HEADER_SPEC_VERSION = "ce_specversion";
    public static final String HEADER_ID = "ce_id";
    public static final String HEADER_SOURCE = "ce_source";
    public static final String HEADER_TYPE = "ce_type";
    public static final String HEADER_SUBJECT = "ce_subject";
    public static final String HEADER_TIME = "ce_time";
    public static final String HEADER_CONTENT_TYPE = "content-type";

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE_JSON = "application/json";

    public static final String TYPE_REQUEST = "dev.robustsynth.request.v1";
    public static final String TYPE_RESULT = "dev.robustsynth.result.v1";
    public static final String TYPE_PROGRESS = "dev.robustsynth.progress.v1";
    public static final String TYPE_CONTROL = "dev.robustsynth.control.v1";
    public static final String TYPE_JOB = "dev.robustsynth.job.v1";
    public static final String TYPE_JOB_STATUS = "dev.robustsynth.job-status.v1";

    private WireContract() {
    }
}
