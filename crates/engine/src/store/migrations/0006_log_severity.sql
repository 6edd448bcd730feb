-- Log records the tools sent without a severity (most of their events) get the one new records get
-- (otlp::severity::derive, the same rule): ERROR for an error or a failed API call, WARN for a
-- failed tool call, INFO otherwise. The number first, then the text that names it.
UPDATE otel_logs SET SeverityNumber = CASE
        WHEN lower(coalesce(EventName, '')) LIKE '%error%' OR lower(coalesce(EventName, '')) LIKE '%fail%'
          OR TRY_CAST(json_extract_string(LogAttributes, '$."status_code"') AS DOUBLE) >= 400
          OR coalesce(json_extract_string(LogAttributes, '$."error"'), '') <> ''
          OR coalesce(json_extract_string(LogAttributes, '$."error.type"'), '') <> ''
          OR coalesce(json_extract_string(LogAttributes, '$."error.message"'), '') <> ''
          OR coalesce(json_extract_string(LogAttributes, '$."error_message"'), '') <> '' THEN 17
        WHEN json_extract_string(LogAttributes, '$."success"') = 'false' THEN 13
        ELSE 9 END
WHERE coalesce(SeverityNumber, 0) = 0 AND coalesce(SeverityText, '') = '';
UPDATE otel_logs SET SeverityText = CASE SeverityNumber WHEN 17 THEN 'ERROR' WHEN 13 THEN 'WARN' ELSE 'INFO' END
WHERE coalesce(SeverityText, '') = '' AND SeverityNumber IN (9, 13, 17);
