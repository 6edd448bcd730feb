-- A log record's session and event name, stored when it is written (model::LogRecord::session_id
-- and event_name) so that session lists and transcripts filter and group on plain columns instead
-- of parsing the JSON attributes of every log record. Rows written before are filled here with the
-- same rule: the first present of the attributes below.
ALTER TABLE otel_logs ADD COLUMN SessionId VARCHAR;
ALTER TABLE otel_logs ADD COLUMN EventName VARCHAR;
UPDATE otel_logs SET
    SessionId = coalesce(json_extract_string(LogAttributes, '$."session.id"'), json_extract_string(LogAttributes, '$."conversation.id"'),
                         json_extract_string(LogAttributes, '$."gen_ai.conversation.id"'), json_extract_string(LogAttributes, '$."copilot_chat.session_id"'),
                         json_extract_string(LogAttributes, '$."copilot_chat.chat_session_id"')),
    EventName = json_extract_string(LogAttributes, '$."event.name"');
