//! Serde for unit enums by their wire names.
//!
//! serde's derived impl for a unit enum builds a visitor that accepts a string, bytes
//! or a variant index — about 1.3 KB of wasm per enum, for twenty enums. The wire only
//! ever carries the name as a JSON string, so one string match per enum does the same
//! job (measured with `cargo xtask size`). The names are snake_case, as serde's
//! `rename_all = "snake_case"` would write them.

/// A unit enum with a name per variant: on the wire, in URLs and in the database (the
/// server stores these names, and reads them back without serde).
pub trait WireName: Sized + 'static {
    fn wire_name(&self) -> &'static str;
    fn from_wire_name(name: &str) -> Option<Self>;
}

/// Gives a unit enum its wire names: `wire_name`, `from_wire_name` (inherent, and as
/// [`WireName`]), and `Serialize` / `Deserialize` as that name (an unknown name is
/// serde's "unknown variant" error); with the `openapi` feature, a string-enum schema of
/// those names.
macro_rules! wire_names {
    ($enum:ident { $($variant:ident = $name:literal),+ $(,)? }) => {
        impl $enum {
            /// The name on the wire, in URLs and in the database.
            #[allow(dead_code)]
            pub const fn wire_name(&self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)+
                }
            }

            #[allow(dead_code)]
            pub fn from_wire_name(name: &str) -> Option<Self> {
                match name {
                    $($name => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }

        impl $crate::names::WireName for $enum {
            fn wire_name(&self) -> &'static str {
                $enum::wire_name(self)
            }
            fn from_wire_name(name: &str) -> Option<Self> {
                $enum::from_wire_name(name)
            }
        }

        impl serde::Serialize for $enum {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.wire_name())
            }
        }

        impl<'de> serde::Deserialize<'de> for $enum {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let name = <String as serde::Deserialize>::deserialize(deserializer)?;
                Self::from_wire_name(&name)
                    .ok_or_else(|| serde::de::Error::unknown_variant(&name, &[$($name),+]))
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $enum {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($name),+]))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $enum {}
    };
}

pub(crate) use wire_names;

#[cfg(test)]
mod tests {
    use crate::{ChannelKind, Restriction, Status};

    /// Every name reads back as its variant, on the wire and through `from_wire_name`.
    #[test]
    fn names_round_trip_as_json_strings() {
        for kind in ChannelKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.wire_name()));
            assert_eq!(serde_json::from_str::<ChannelKind>(&json).unwrap(), kind);
        }
        for status in Status::ALL {
            assert_eq!(Status::from_wire_name(status.wire_name()), Some(status));
        }
        let cases =
            [("\"self\"", Restriction::SelfOnly), ("\"team\"", Restriction::Team), ("\"none\"", Restriction::None)];
        for (json, restriction) in cases {
            assert_eq!(serde_json::from_str::<Restriction>(json).unwrap(), restriction);
            assert_eq!(serde_json::to_string(&restriction).unwrap(), json);
        }
    }

    #[test]
    fn an_unknown_name_is_an_error_naming_the_known_ones() {
        let err = serde_json::from_str::<Status>("\"open\"").unwrap_err().to_string();
        assert!(err.contains("unknown variant `open`"), "{err}");
        assert!(err.contains("`new`, `pending`, `snoozed`, `closed`"), "{err}");
        assert!(serde_json::from_str::<Status>("\"New\"").is_err(), "names are case-sensitive");
        assert!(serde_json::from_str::<Status>("0").is_err(), "an index is not a name");
    }
}
