//! Who sent a row: the machine (the name of the API token the request carried, set by the server,
//! never taken from the data), the person (`user.email`, which the tools send when their user
//! is logged in, or which a user adds with `OTEL_RESOURCE_ATTRIBUTES`) and the host (`host.name`,
//! which Codex's logs carry and the OpenTelemetry SDKs' host detectors add).

use super::{AttributeValues, Attributes};

/// The resource attribute the server writes on every row a request with a named token brings. A
/// value sent in the data is removed first, so no client can speak for another machine.
pub const MACHINE_ATTRIBUTE: &str = "ai_observer.machine";

/// The attributes that name the person, first present wins (record attributes before resource's).
pub const USER_ATTRIBUTES: [&str; 2] = ["user.email", "enduser.id"];

/// The sender of an OTLP request: the name of the named token it was authenticated with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    pub machine: String,
}

/// The person a record belongs to, from its own attributes or its resource's.
pub fn user_of(attributes: &Attributes, resource_attributes: &Attributes) -> Option<String> {
    attributes
        .first_text(&USER_ATTRIBUTES)
        .or_else(|| resource_attributes.first_text(&USER_ATTRIBUTES))
        .map(str::trim)
        .filter(|user| !user.is_empty())
        .map(str::to_owned)
}

/// The resource attribute that names the host.
pub const HOST_ATTRIBUTE: &str = "host.name";

/// The host a record's resource names.
pub fn host_of(resource_attributes: &Attributes) -> Option<String> {
    resource_attributes.first_text(&[HOST_ATTRIBUTE]).map(str::trim).filter(|host| !host.is_empty()).map(str::to_owned)
}

/// Sets (or, without a sender, removes) the machine attribute on a row's resource.
pub fn stamp_machine(resource_attributes: &mut Attributes, sender: Option<&Sender>) {
    match sender {
        Some(sender) => {
            resource_attributes.insert(MACHINE_ATTRIBUTE.to_owned(), sender.machine.clone());
        }
        None => {
            resource_attributes.remove(MACHINE_ATTRIBUTE);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attributes(pairs: &[(&str, &str)]) -> Attributes {
        pairs.iter().map(|(key, value)| ((*key).to_owned(), (*value).to_owned())).collect()
    }

    #[test]
    fn the_record_names_the_user_before_its_resource() {
        let record = attributes(&[("user.email", "ada@example.com")]);
        let resource = attributes(&[("user.email", "grace@example.com")]);
        assert_eq!(user_of(&record, &resource).as_deref(), Some("ada@example.com"));
        assert_eq!(host_of(&attributes(&[("host.name", "ada-laptop ")])).as_deref(), Some("ada-laptop"));
        assert_eq!(host_of(&record), None);
        assert_eq!(user_of(&Attributes::new(), &resource).as_deref(), Some("grace@example.com"));
        assert_eq!(user_of(&attributes(&[("user.email", " ")]), &Attributes::new()), None);
    }

    #[test]
    fn a_machine_sent_in_the_data_is_replaced_or_removed() {
        let mut resource = attributes(&[(MACHINE_ATTRIBUTE, "laptop-of-someone-else")]);
        stamp_machine(&mut resource, Some(&Sender { machine: "build-server".to_owned() }));
        assert_eq!(resource.get(MACHINE_ATTRIBUTE).map(String::as_str), Some("build-server"));
        stamp_machine(&mut resource, None);
        assert!(!resource.contains_key(MACHINE_ATTRIBUTE));
    }
}
