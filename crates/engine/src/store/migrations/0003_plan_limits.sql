-- Plan-limit states as the tools reported them (model::PlanLimit): one row per observation, so the
-- latest state and the history of a window are both at hand.
CREATE TABLE IF NOT EXISTS plan_limits (
    Tool VARCHAR NOT NULL,
    LimitWindow VARCHAR NOT NULL,
    UsedPercent DOUBLE NOT NULL,
    ResetsAt TIMESTAMP,
    ObservedAt TIMESTAMP NOT NULL,
    Source VARCHAR NOT NULL,
    PlanType VARCHAR,
    PRIMARY KEY (Tool, LimitWindow, ObservedAt, Source)
);
