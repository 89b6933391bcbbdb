// Roles and privileges: CREATE/ALTER/DROP ROLE, GRANT/REVOKE of roles and of privileges on
// tables, views, sequences and schemas, ALTER ... OWNER TO, DROP OWNED / REASSIGN OWNED, and the
// checks statements make against them (42501).
#include <algorithm>
#include <functional>
#include <boost/json.hpp>

#include "catalog/system_views.h"
#include "common/auth.h"
#include "common/errors.h"
#include "common/type_io.h"
#include "engine/cluster_impl.h"
#include "engine/ddl.h"
#include "engine/session_impl.h"

namespace heliosdb::engine {

namespace json = boost::json;
using sql::field;
using sql::list_field;
using sql::node_body;
using sql::node_type;
using sql::str_field;
using sql::string_node;

// ---- the session's view of roles ----

const catalog::Roles& SessionImpl::roles() {
  if (changed_roles_) return *changed_roles_;
  roles_snapshot_ = db_->roles->current();
  return *roles_snapshot_;
}

catalog::Roles& SessionImpl::writable_roles() {
  if (!changed_roles_) {
    auto current = db_->roles->current();
    base_roles_version_ = current->version();
    changed_roles_ = std::make_shared<catalog::Roles>(*current);
  }
  return *changed_roles_;
}

uint32_t SessionImpl::role_oid_of(const std::string& name) {
  if (const auto* r = roles().find(name)) return r->oid;
  // A login the roles do not know (a user of the server's users file): the bootstrap
  // superuser's rights, under its own name.
  if (name == login_user_ && !login_is_role_) return catalog::kBootstrapSuperuser;
  return 0;
}

uint32_t SessionImpl::current_role_oid() {
  const std::string& role = settings_["role"];
  return role_oid_of(role != "none" ? role : settings_["session_authorization"]);
}

uint32_t SessionImpl::session_role_oid() { return role_oid_of(settings_["session_authorization"]); }

bool SessionImpl::is_superuser(uint32_t role) {
  const auto* r = roles().find(role);
  return r && r->superuser;
}

namespace {

const char* relation_kind_name(const catalog::TableDef& t) { return t.is_view() ? "view" : "table"; }

[[noreturn]] void denied(std::string_view kind, const std::string& name) {
  raise(sqlstate::kInsufficientPrivilege, "permission denied for {} {}", kind, name);
}

}  // namespace

void SessionImpl::check_access(const std::vector<planner::AccessCheck>& checks) {
  if (checks.empty()) return;
  uint32_t me = current_role_oid();
  const catalog::Roles& r = roles();  // one snapshot for all the checks
  const catalog::Catalog& cat = current_catalog();
  for (const auto& c : checks) {
    uint32_t who = c.as_role ? c.as_role : me;
    if (const auto* d = r.find(who); d && d->superuser) continue;
    auto t = cat.table(c.relation);
    if (!t) continue;
    if (!c.as_role && !(r.privileges(who, cat.schema_access(t->schema), 'n', catalog::kSchemaPrivileges) & catalog::kUsage))
      denied("schema", t->schema);
    uint32_t have = r.privileges(who, t->access, 'r', catalog::kTablePrivileges);
    if ((have & c.privileges) != c.privileges) denied(relation_kind_name(*t), t->name);
  }
}

void SessionImpl::check_schema_privilege(const std::string& schema, uint32_t privilege) {
  uint32_t me = current_role_oid();
  if (is_superuser(me)) return;
  const catalog::Catalog& cat = current_catalog();
  if (!(roles().privileges(me, cat.schema_access(schema), 'n', catalog::kSchemaPrivileges) & privilege)) denied("schema", schema);
}

void SessionImpl::check_sequence_privilege(const catalog::SequenceDef& s, uint32_t any_of) {
  uint32_t me = current_role_oid();
  if (is_superuser(me)) return;
  if (!(roles().privileges(me, s.access, 'S', catalog::kSequencePrivileges) & any_of)) denied("sequence", s.name);
}

void SessionImpl::check_owner(const catalog::Ownership& object, std::string_view kind, const std::string& name) {
  uint32_t me = current_role_oid();
  if (!roles().has_privileges_of(me, object.owner))
    raise(sqlstate::kInsufficientPrivilege, "must be owner of {} {}", kind, name);
}

uint32_t SessionImpl::role_oid(const std::string& name) {
  uint32_t oid = role_oid_of(name);
  if (!oid) raise(sqlstate::kUndefinedObject, "role \"{}\" does not exist", name);
  return oid;
}

bool SessionImpl::has_privilege(uint32_t role, char kind, uint32_t object, uint32_t privileges) {
  const catalog::Catalog& cat = current_catalog();
  const catalog::Roles& r = roles();
  if (kind == 'R') {  // pg_has_role: 1 MEMBER (or SET), 2 USAGE, 4 WITH ADMIN OPTION
    if (!r.find(object)) raise(sqlstate::kUndefinedObject, "role with OID {} does not exist", object);
    return ((privileges & 1) && r.is_member_of(role, object)) || ((privileges & 2) && r.has_privileges_of(role, object)) ||
           ((privileges & 4) && r.has_admin_of(role, object));
  }
  // The object's owner and ACL, and its kind as ACLs know it; functions, types and languages
  // have no ACLs here: PUBLIC may use them.
  catalog::Ownership access;
  char acl_kind = kind;
  if (kind == 'r' || kind == 'S') {
    auto t = kind == 'r' ? cat.table(object) : nullptr;
    auto s = t ? nullptr : cat.sequence(object);
    if (!t && !s) return false;
    access = t ? t->access : s->access;
    acl_kind = t ? 'r' : 'S';
  } else if (kind == 'n') {
    std::string name = cat.schema_name(object);
    if (name.empty()) return false;
    access = cat.schema_access(name);
  } else if (kind == 'd') {
    access = catalog::Ownership{r.database_owner(db_->name()), std::nullopt};
  } else {
    return true;
  }
  uint32_t all = acl_kind == 'r' ? catalog::kTablePrivileges : acl_kind == 'S' ? catalog::kSequencePrivileges
                 : acl_kind == 'n' ? catalog::kSchemaPrivileges : catalog::kDatabasePrivileges;
  uint32_t wanted = privileges & ~catalog::kWithGrantOption;
  uint32_t have = (privileges & catalog::kWithGrantOption) ? r.grant_options(role, access, acl_kind)
                                                           : r.privileges(role, access, acl_kind, all);
  return (have & wanted) != 0;
}

// ---- DDL ----

namespace {

// A RoleSpec: its OID (0 for PUBLIC when allowed); 42704 when the role does not exist.
uint32_t resolve_role(SessionImpl& s, const json::object& spec, bool allow_public = false) {
  std::string_view type = str_field(spec, "roletype");
  if (type == "ROLESPEC_PUBLIC") {
    if (!allow_public) raise(sqlstate::kUndefinedObject, "role \"public\" does not exist");
    return catalog::kPublicRole;
  }
  if (type == "ROLESPEC_CURRENT_USER" || type == "ROLESPEC_CURRENT_ROLE") return s.current_role_oid();
  if (type == "ROLESPEC_SESSION_USER") return s.session_role_oid();
  std::string name(str_field(spec, "rolename"));
  const auto* r = s.roles().find(name);
  if (!r) raise(sqlstate::kUndefinedObject, "role \"{}\" does not exist", name);
  return r->oid;
}

void check_role_name(const std::string& name) {
  if (name.starts_with("pg_"))
    throw Error(sqlstate::kReservedName, fmt::format("role name \"{}\" is reserved", name))
        .with_detail("Role names starting with \"pg_\" are reserved.");
  if (name == "public" || name == "none") raise(sqlstate::kReservedName, "role name \"{}\" is reserved", name);
}

// A PASSWORD given in CREATE/ALTER ROLE, stored as PostgreSQL stores it: a SCRAM verifier, or
// as given when it already is a verifier (pg_dumpall writes them so).
std::string stored_password(SessionImpl& s, const std::string& given, const std::string& role) {
  if (given.empty()) return {};
  if (auth::is_scram(given) || auth::is_md5(given)) return given;
  if (s.setting("password_encryption") == "md5") return auth::md5_verifier(given, role);
  return auth::scram_verifier(given);
}

int64_t parse_valid_until(const std::string& text, const types::TextContext& tc) {
  return types::parse_text(oid::kTimestamptz, text, -1, tc).as_int();
}

}  // namespace

void DdlExecutor::create_role(const json::object& n, ResultSink& sink) {
  std::string name(str_field(n, "role"));
  std::string_view kind = str_field(n, "stmt_type");
  uint32_t me = s_.current_role_oid();
  const catalog::RoleDef* creator = s_.roles().find(me);
  bool super = creator && creator->superuser;
  if (!super && !(creator && creator->createrole)) raise(sqlstate::kInsufficientPrivilege, "permission denied to create role");
  check_role_name(name);
  catalog::RoleDef r;
  r.name = name;
  r.login = kind == "ROLESTMT_USER";
  std::vector<std::pair<std::string, const json::value*>> lists;
  for (const auto& o : list_field(n, "options")) {
    const auto& d = node_body(o);
    std::string opt(str_field(d, "defname"));
    const json::value* arg = field(d, "arg");
    auto flag = [&] { return arg && sql::bool_field(node_body(*arg), "boolval"); };
    if (opt == "superuser") r.superuser = flag();
    else if (opt == "createdb") r.createdb = flag();
    else if (opt == "createrole") r.createrole = flag();
    else if (opt == "inherit") r.inherit = flag();
    else if (opt == "canlogin") r.login = flag();
    else if (opt == "isreplication") r.replication = flag();
    else if (opt == "bypassrls") r.bypassrls = flag();
    else if (opt == "connectionlimit") r.connlimit = static_cast<int32_t>(sql::int_field(node_body(*arg), "ival", 0));
    else if (opt == "password") r.password = arg ? stored_password(s_, std::string(string_node(*arg)), name) : "";
    else if (opt == "validUntil") r.valid_until = parse_valid_until(std::string(string_node(*arg)), s_.text_context());
    else if (opt == "addroleto" || opt == "rolemembers" || opt == "adminmembers") lists.emplace_back(opt, arg);
    else if (opt == "sysid") {}  // ignored, as PostgreSQL does
    else unsupported(fmt::format("role option \"{}\"", opt));
  }
  if (!super) {
    if (r.superuser) raise(sqlstate::kInsufficientPrivilege, "must be superuser to create superusers");
    if (r.replication) raise(sqlstate::kInsufficientPrivilege, "must be superuser to create replication users");
    if (r.bypassrls) raise(sqlstate::kInsufficientPrivilege, "must be superuser to create bypassrls users");
  }
  catalog::Roles& roles = s_.writable_roles();
  if (roles.find(name)) raise(sqlstate::kDuplicateObject, "role \"{}\" already exists", name);
  uint32_t oid = roles.add(std::move(r));
  for (const auto& [opt, arg] : lists)
    for (const auto& spec : list_field(node_body(*arg), "items")) {
      uint32_t other = resolve_role(s_, node_body(spec));
      if (opt == "addroleto") roles.grant(other, oid, me, false);  // IN ROLE other
      else roles.grant(oid, other, me, opt == "adminmembers");    // ROLE other / ADMIN other
    }
  sink.complete("CREATE ROLE", 0);
}

void DdlExecutor::alter_role(const json::object& n, ResultSink& sink) {
  uint32_t oid = resolve_role(s_, field(n, "role")->as_object());
  uint32_t me = s_.current_role_oid();
  catalog::Roles& roles = s_.writable_roles();
  catalog::RoleDef r = *roles.find(oid);
  const catalog::RoleDef* actor = roles.find(me);
  bool super = actor && actor->superuser;
  bool createrole = actor && actor->createrole;
  bool only_password = true;
  for (const auto& o : list_field(n, "options")) {
    const auto& d = node_body(o);
    std::string opt(str_field(d, "defname"));
    const json::value* arg = field(d, "arg");
    auto flag = [&] { return arg && sql::bool_field(node_body(*arg), "boolval"); };
    if (opt != "password") only_password = false;
    if (opt == "superuser") {
      if (!super) raise(sqlstate::kInsufficientPrivilege, "must be superuser to alter superuser roles or change superuser attribute");
      r.superuser = flag();
    } else if (opt == "createdb") r.createdb = flag();
    else if (opt == "createrole") r.createrole = flag();
    else if (opt == "inherit") r.inherit = flag();
    else if (opt == "canlogin") r.login = flag();
    else if (opt == "isreplication") {
      if (!super) raise(sqlstate::kInsufficientPrivilege, "must be superuser to alter replication roles or change replication attribute");
      r.replication = flag();
    } else if (opt == "bypassrls") {
      if (!super) raise(sqlstate::kInsufficientPrivilege, "must be superuser to change bypassrls attribute");
      r.bypassrls = flag();
    } else if (opt == "connectionlimit") r.connlimit = static_cast<int32_t>(sql::int_field(node_body(*arg), "ival", 0));
    else if (opt == "password") r.password = arg ? stored_password(s_, std::string(string_node(*arg)), r.name) : "";
    else if (opt == "validUntil") r.valid_until = parse_valid_until(std::string(string_node(*arg)), s_.text_context());
    else unsupported(fmt::format("role option \"{}\"", opt));
  }
  const catalog::RoleDef* target = roles.find(oid);
  if (!super) {
    if (target->superuser) raise(sqlstate::kInsufficientPrivilege, "must be superuser to alter superuser roles or change superuser attribute");
    // Without CREATEROLE a role may change only its own password.
    if (!createrole && !(oid == me && only_password)) raise(sqlstate::kInsufficientPrivilege, "permission denied");
  }
  roles.put(std::move(r));
  sink.complete("ALTER ROLE", 0);
}

// ALTER ROLE name SET param = value / RESET param / RESET ALL: the role's sessions start so.
void DdlExecutor::alter_role_set(const json::object& n, ResultSink& sink) {
  const json::value* spec = field(n, "role");
  if (!spec) unsupported("ALTER ROLE ALL SET");
  if (!str_field(n, "database").empty()) unsupported("ALTER ROLE ... IN DATABASE ... SET");
  uint32_t oid = resolve_role(s_, spec->as_object());
  uint32_t me = s_.current_role_oid();
  catalog::Roles& roles = s_.writable_roles();
  const catalog::RoleDef* actor = roles.find(me);
  catalog::RoleDef r = *roles.find(oid);
  bool allowed = (actor && actor->superuser) || (!r.superuser && ((actor && actor->createrole) || oid == me));
  if (!allowed) raise(sqlstate::kInsufficientPrivilege, "permission denied");
  const auto& set = field(n, "setstmt")->as_object();
  std::string kind(str_field(set, "kind"));
  std::string name(str_field(set, "name"));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (kind == "VAR_RESET_ALL") {
    r.settings.clear();
  } else if (kind == "VAR_RESET" || kind == "VAR_SET_DEFAULT") {
    r.settings.erase(name);
  } else if (kind == "VAR_SET_VALUE") {
    if (name.find('.') == std::string::npos) s_.setting(name);  // 42704 for a parameter there is none of
    std::string value;
    for (const auto& a : list_field(set, "args")) value += (value.empty() ? "" : ", ") + set_argument_text(a);
    r.settings[name] = value;
  } else {
    unsupported("this form of ALTER ROLE ... SET");
  }
  roles.put(std::move(r));
  sink.complete("ALTER ROLE", 0);
}

void DdlExecutor::rename_role(const json::object& n, ResultSink& sink) {
  std::string from(str_field(n, "subname")), to(str_field(n, "newname"));
  catalog::Roles& roles = s_.writable_roles();
  const catalog::RoleDef* r = roles.find(from);
  if (!r) raise(sqlstate::kUndefinedObject, "role \"{}\" does not exist", from);
  if (r->oid == s_.session_role_oid()) raise(sqlstate::kFeatureNotSupported, "session user cannot be renamed");
  if (r->oid == s_.current_role_oid()) raise(sqlstate::kFeatureNotSupported, "current user cannot be renamed");
  if (r->oid < catalog::kFirstObjectId && r->oid != catalog::kBootstrapSuperuser)
    raise(sqlstate::kReservedName, "role name \"{}\" is reserved", from);
  check_role_name(to);
  if (roles.find(to)) raise(sqlstate::kDuplicateObject, "role \"{}\" already exists", to);
  const catalog::RoleDef* me = roles.find(s_.current_role_oid());
  if (!(me && (me->superuser || (me->createrole && !r->superuser))))
    raise(sqlstate::kInsufficientPrivilege, "permission denied to rename role");
  catalog::RoleDef renamed = *r;
  renamed.name = to;
  if (auth::is_md5(renamed.password)) {  // md5 hashes the name in: it cannot be right any more
    renamed.password.clear();
    send_notice(sink, sqlstate::kSuccessfulCompletion, "MD5 password cleared because of role rename");
  }
  roles.put(std::move(renamed));
  sink.complete("ALTER ROLE", 0);
}

namespace {

// What in this database depends on role: "owner of table t", "privileges for schema s", ...
std::vector<std::string> role_dependents(const catalog::Catalog& cat, uint32_t role) {
  std::vector<std::string> out;
  auto mentions = [&](const catalog::Ownership& a) {
    if (!a.acl) return false;
    return std::ranges::any_of(*a.acl, [&](const catalog::AclItem& i) { return i.grantee == role || i.grantor == role; });
  };
  for (const auto& [name, s] : cat.schemas()) {
    if (s->access.owner == role) out.push_back("owner of schema " + name);
    else if (mentions(s->access)) out.push_back("privileges for schema " + name);
  }
  if (mentions(cat.schema_access("public"))) out.push_back("privileges for schema public");
  for (const auto& [id, t] : cat.tables()) {
    std::string what = std::string(relation_kind_name(*t)) + " " + t->name;
    if (t->access.owner == role) out.push_back("owner of " + what);
    else if (mentions(t->access)) out.push_back("privileges for " + what);
  }
  for (const auto& [id, s] : cat.sequences()) {
    if (s->access.owner == role) out.push_back("owner of sequence " + s->name);
    else if (mentions(s->access)) out.push_back("privileges for sequence " + s->name);
  }
  return out;
}

}  // namespace

void DdlExecutor::drop_roles(const json::object& n, ResultSink& sink) {
  bool missing_ok = sql::bool_field(n, "missing_ok");
  const catalog::RoleDef* me = s_.roles().find(s_.current_role_oid());
  if (!(me && (me->superuser || me->createrole))) raise(sqlstate::kInsufficientPrivilege, "permission denied to drop role");
  catalog::Roles& roles = s_.writable_roles();
  for (const auto& spec : list_field(n, "roles")) {
    const auto& rs = node_body(spec);
    std::string name(str_field(rs, "rolename"));
    if (str_field(rs, "roletype") == "ROLESPEC_PUBLIC") name = "public";
    const catalog::RoleDef* r = roles.find(name);
    if (!r) {
      if (!missing_ok) raise(sqlstate::kUndefinedObject, "role \"{}\" does not exist", name);
      send_notice(sink, sqlstate::kSuccessfulCompletion, fmt::format("role \"{}\" does not exist, skipping", name));
      continue;
    }
    if (r->oid < catalog::kFirstObjectId) {
      if (r->oid == s_.current_role_oid()) raise(sqlstate::kObjectInUse, "current user cannot be dropped");
      if (r->oid == s_.session_role_oid()) raise(sqlstate::kObjectInUse, "session user cannot be dropped");
      raise(sqlstate::kDependentObjectsStillExist, "cannot drop role {} because it is required by the database system", name);
    }
    if (r->oid == s_.current_role_oid()) raise(sqlstate::kObjectInUse, "current user cannot be dropped");
    if (r->oid == s_.session_role_oid()) raise(sqlstate::kObjectInUse, "session user cannot be dropped");
    if (r->superuser && !me->superuser) raise(sqlstate::kInsufficientPrivilege, "must be superuser to drop superusers");
    auto deps = role_dependents(s_.current_catalog(), r->oid);
    for (const auto& [database, owner] : roles.database_owners())
      if (owner == r->oid) deps.insert(deps.begin(), "owner of database " + database);
    // The cluster's other databases: how many objects there depend on it (PostgreSQL's
    // pg_shdepend summary).
    if (auto cluster = s_.db().cluster.lock())
      for (const auto& other : cluster->names()) {
        if (other == s_.db().name()) continue;
        auto db = cluster->database(other, false);
        if (!db) continue;
        size_t n = role_dependents(*db->catalog(), r->oid).size();
        if (n) deps.push_back(fmt::format("{} object{} in database {}", n, n == 1 ? "" : "s", other));
      }
    if (!deps.empty()) {
      std::string detail;
      for (const auto& d : deps) detail += (detail.empty() ? "" : "\n") + d;
      throw Error(sqlstate::kDependentObjectsStillExist,
                  fmt::format("role \"{}\" cannot be dropped because some objects depend on it", name))
          .with_detail(detail);
    }
    roles.remove(r->oid);
  }
  sink.complete("DROP ROLE", 0);
}

void DdlExecutor::grant_role(const json::object& n, ResultSink& sink) {
  bool grant = sql::bool_field(n, "is_grant");
  bool admin = sql::bool_field(n, "admin_opt");
  uint32_t me = s_.current_role_oid();
  catalog::Roles& roles = s_.writable_roles();
  for (const auto& g : list_field(n, "granted_roles")) {
    std::string name(str_field(node_body(g), "priv_name"));
    const catalog::RoleDef* role = roles.find(name);
    if (!role) raise(sqlstate::kUndefinedObject, "role \"{}\" does not exist", name);
    uint32_t role_oid = role->oid;
    if (role->superuser && !s_.is_superuser(me)) raise(sqlstate::kInsufficientPrivilege, "must be superuser to alter superusers");
    if (!roles.has_admin_of(me, role_oid)) raise(sqlstate::kInsufficientPrivilege, "must have admin option on role \"{}\"", name);
    for (const auto& spec : list_field(n, "grantee_roles")) {
      uint32_t member = resolve_role(s_, node_body(spec));
      std::string member_name = roles.name_of(member);
      if (grant) {
        if (roles.is_member_of(role_oid, member) && !roles.find(role_oid)->superuser)
          raise(sqlstate::kInvalidGrantOperation, "role \"{}\" is a member of role \"{}\"", name, member_name);
        if (role_oid == member) raise(sqlstate::kInvalidGrantOperation, "role \"{}\" is a member of role \"{}\"", name, name);
        if (!roles.grant(role_oid, member, me, admin))
          send_notice(sink, sqlstate::kSuccessfulCompletion, fmt::format("role \"{}\" is already a member of role \"{}\"", member_name, name));
      } else if (!roles.revoke(role_oid, member, admin)) {
        Error w(sqlstate::kWarning, fmt::format("role \"{}\" is not a member of role \"{}\"", member_name, name));
        w.with_severity("WARNING");
        sink.notice(w);
      }
    }
  }
  sink.complete(grant ? "GRANT ROLE" : "REVOKE ROLE", 0);
}

namespace {

// GRANT/REVOKE privileges on one object's ACL, as PostgreSQL's merge_acl_with_grant: grantor's
// item for each grantee gains or loses them (REVOKE GRANT OPTION FOR: only the options).
// A REVOKE that takes grant options away from a grantee takes along what it granted on with them
// (cascade), or fails with 2BP01 when it did grant on.
void revoke_item(std::vector<catalog::AclItem>& acl, uint32_t grantee, uint32_t grantor, uint32_t privileges,
                 bool options_only, bool cascade) {
  auto it = std::ranges::find_if(acl, [&](const catalog::AclItem& i) { return i.grantee == grantee && i.grantor == grantor; });
  if (it == acl.end()) return;
  uint32_t lost = it->grant_options & privileges;
  it->grant_options &= ~privileges;
  if (!options_only) it->privileges &= ~privileges;
  if (it->privileges == 0) acl.erase(it);
  if (!lost || grantee == catalog::kPublicRole) return;
  std::vector<uint32_t> dependents;
  for (const auto& i : acl)
    if (i.grantor == grantee && (i.privileges & lost)) dependents.push_back(i.grantee);
  if (!dependents.empty() && !cascade)
    throw Error(sqlstate::kDependentObjectsStillExist, "dependent privileges exist").with_hint("Use CASCADE to revoke them too.");
  for (uint32_t d : dependents) revoke_item(acl, d, grantee, lost, false, true);
}

void change_acl(catalog::Ownership& object, char kind, bool grant, uint32_t privileges, bool grant_option,
                const std::vector<uint32_t>& grantees, uint32_t grantor, bool cascade) {
  std::vector<catalog::AclItem> acl = object.acl ? *object.acl : catalog::default_acl(kind, object.owner);
  for (uint32_t g : grantees) {
    if (!grant) {
      revoke_item(acl, g, grantor, privileges, grant_option, cascade);
      continue;
    }
    auto it = std::ranges::find_if(acl, [&](const catalog::AclItem& i) { return i.grantee == g && i.grantor == grantor; });
    if (it == acl.end()) it = acl.insert(acl.end(), catalog::AclItem{g, grantor, 0, 0});
    it->privileges |= privileges;
    if (grant_option) it->grant_options |= privileges;
  }
  object.acl = std::move(acl);
}

}  // namespace

void DdlExecutor::grant(const json::object& n, ResultSink& sink) {
  bool is_grant = sql::bool_field(n, "is_grant");
  bool grant_option = sql::bool_field(n, "grant_option");
  bool cascade = str_field(n, "behavior") == "DROP_CASCADE";
  std::string objtype(str_field(n, "objtype"));
  std::string targtype(str_field(n, "targtype"));
  if (targtype == "ACL_TARGET_DEFAULTS") unsupported("ALTER DEFAULT PRIVILEGES");
  char kind = objtype == "OBJECT_TABLE" ? 'r' : objtype == "OBJECT_SEQUENCE" ? 'S' : objtype == "OBJECT_SCHEMA" ? 'n' : 0;
  if (!kind) unsupported(fmt::format("GRANT and REVOKE on {}", objtype.substr(7)));
  // The privileges asked for; all_privileges: ALL, whatever the object's kind has.
  uint32_t asked = 0;
  const auto& privs = list_field(n, "privileges");
  bool all_privileges = privs.empty();
  uint32_t valid = kind == 'r' ? catalog::kTablePrivileges | catalog::kUsage
                   : kind == 'S' ? catalog::kSequencePrivileges : catalog::kSchemaPrivileges;
  for (const auto& p : privs) {
    const auto& ap = node_body(p);
    if (!list_field(ap, "cols").empty()) unsupported("column privileges");
    std::string pname(str_field(ap, "priv_name"));
    uint32_t bit = catalog::privilege_of(pname);
    if (!(bit & valid)) {
      std::string upper = bit ? catalog::privilege_name(bit) : pname;
      if (!bit) std::ranges::transform(upper, upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      raise(sqlstate::kInvalidGrantOperation, "invalid privilege type {} for {}", upper,
            kind == 'r' ? "relation" : kind == 'S' ? "sequence" : "schema");
    }
    asked |= bit;
  }
  std::vector<uint32_t> grantees;
  for (const auto& spec : list_field(n, "grantees")) grantees.push_back(resolve_role(s_, node_body(spec), true));

  uint32_t me = s_.current_role_oid();
  const catalog::Roles& roles = s_.roles();
  catalog::Catalog& cat = s_.writable_catalog();
  storage::Transaction& txn = *s_.txn_;
  bool super = s_.is_superuser(me);
  // One object: a superuser or the owner grants as the owner; another role grants as itself what
  // it holds WITH GRANT OPTION (a WARNING for what it cannot, 42501 when it holds nothing).
  auto apply = [&](catalog::Ownership& access, char object_kind, const std::string& name, const char* kind_name) {
    uint32_t all = object_kind == 'r' ? catalog::kTablePrivileges
                   : object_kind == 'S' ? catalog::kSequencePrivileges : catalog::kSchemaPrivileges;
    uint32_t wanted = all_privileges ? all : asked;
    if (object_kind == 'r' && (wanted & catalog::kUsage))
      raise(sqlstate::kInvalidGrantOperation, "invalid privilege type USAGE for table");
    if (object_kind == 'S' && (wanted & ~all)) {
      Error w(sqlstate::kWarning, fmt::format("sequence \"{}\" only supports USAGE, SELECT, and UPDATE privileges", name));
      w.with_severity("WARNING");
      sink.notice(w);
      wanted &= all;
    }
    uint32_t grantor = me;
    uint32_t may = all;
    if (super || roles.has_privileges_of(me, access.owner)) {
      grantor = access.owner;
    } else {
      uint32_t have = roles.privileges(me, access, object_kind, all);
      may = roles.grant_options(me, access, object_kind) & all;
      if (!have && !may) denied(kind_name, name);
    }
    uint32_t done = wanted & may;
    if (done != wanted) {
      Error w(is_grant ? sqlstate::kWarningPrivilegeNotGranted : sqlstate::kWarningPrivilegeNotRevoked,
              fmt::format("{} privileges were {} for \"{}\"", done == 0 ? "no" : "not all", is_grant ? "granted" : "revoked", name));
      w.with_severity("WARNING");
      sink.notice(w);
    }
    if (done) change_acl(access, object_kind, is_grant, done, grant_option, grantees, grantor, cascade);
  };
  auto relation = [&](const catalog::TableDef& t) {
    catalog::TableDef copy = t;
    apply(copy.access, 'r', copy.name, relation_kind_name(copy));
    cat.put_table(txn, std::move(copy));
  };
  auto sequence = [&](const catalog::SequenceDef& s) {
    catalog::SequenceDef copy = s;
    apply(copy.access, 'S', copy.name, "sequence");
    cat.put_sequence(txn, std::move(copy));
  };

  if (targtype == "ACL_TARGET_ALL_IN_SCHEMA") {
    for (const auto& o : list_field(n, "objects")) {
      std::string schema(string_node(o));
      if (!cat.schema_oid(schema)) raise(sqlstate::kInvalidSchemaName, "schema \"{}\" does not exist", schema);
      std::vector<catalog::TableDef> ts;
      std::vector<catalog::SequenceDef> ss;
      if (kind == 'r')
        for (const auto& [id, t] : cat.tables())
          if (t->schema == schema) ts.push_back(*t);
      if (kind == 'S')
        for (const auto& [id, s] : cat.sequences())
          if (s->schema == schema) ss.push_back(*s);
      for (const auto& t : ts) relation(t);
      for (const auto& s : ss) sequence(s);
    }
  } else if (kind == 'n') {
    for (const auto& o : list_field(n, "objects")) {
      std::string schema(string_node(o));
      if (!cat.schema_oid(schema)) raise(sqlstate::kInvalidSchemaName, "schema \"{}\" does not exist", schema);
      catalog::Ownership access = cat.schema_access(schema);
      apply(access, 'n', schema, "schema");
      cat.set_schema_access(txn, schema, std::move(access));
    }
  } else {
    for (const auto& o : list_field(n, "objects")) {
      const auto& rv = node_body(o);
      std::string schema(str_field(rv, "schemaname")), name(str_field(rv, "relname"));
      if (auto t = cat.table(schema, name)) {
        if (kind == 'S') raise(sqlstate::kWrongObjectType, "\"{}\" is not a sequence", name);
        relation(*t);
      } else if (auto s = cat.sequence(schema, name)) {
        sequence(*s);
      } else {
        raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", schema.empty() ? name : schema + "." + name);
      }
    }
  }
  sink.complete(is_grant ? "GRANT" : "REVOKE", 0);
}

void ddl::pass_ownership(catalog::Ownership& access, uint32_t to) {
  if (access.acl)
    for (auto& i : *access.acl) {
      if (i.grantee == access.owner) i.grantee = to;
      if (i.grantor == access.owner) i.grantor = to;
    }
  access.owner = to;
}

namespace {

// Applies change to the owner and ACL of every table, view, sequence and schema (public too);
// what it changed (it returns true) is stored.
void change_every_access(catalog::Catalog& cat, storage::Transaction& txn, const std::function<bool(catalog::Ownership&)>& change) {
  std::vector<catalog::TableDef> ts;
  for (const auto& [id, t] : cat.tables())
    if (catalog::TableDef c = *t; change(c.access)) ts.push_back(std::move(c));
  for (auto& t : ts) cat.put_table(txn, std::move(t));
  std::vector<catalog::SequenceDef> ss;
  for (const auto& [id, s] : cat.sequences())
    if (catalog::SequenceDef c = *s; change(c.access)) ss.push_back(std::move(c));
  for (auto& s : ss) cat.put_sequence(txn, std::move(s));
  std::vector<std::string> schemas{"public"};
  for (const auto& [name, s] : cat.schemas()) schemas.push_back(name);
  for (const auto& name : schemas)
    if (catalog::Ownership a = cat.schema_access(name); change(a)) cat.set_schema_access(txn, name, std::move(a));
}

}  // namespace

// ALTER TABLE / VIEW / SEQUENCE ... OWNER TO: the ACL's items of the old owner pass to the new.
void DdlExecutor::change_owner(catalog::Ownership& access, const json::object& newowner, std::string_view kind,
                               const std::string& name) {
  uint32_t to = resolve_role(s_, newowner);
  if (to == access.owner) return;
  uint32_t me = s_.current_role_oid();
  if (!s_.is_superuser(me)) {
    s_.check_owner(access, kind, name);
    if (!s_.roles().is_member_of(me, to))
      raise(sqlstate::kInsufficientPrivilege, "must be able to SET ROLE \"{}\"", s_.roles().name_of(to));
  }
  ddl::pass_ownership(access, to);
}

// DROP OWNED BY: what the roles own in this database goes (as DROP ... CASCADE), their
// privileges are revoked. REASSIGN OWNED BY ... TO: what they own passes to another role.
void DdlExecutor::owned(const json::object& n, bool reassign, ResultSink& sink) {
  std::vector<uint32_t> who;
  for (const auto& spec : list_field(n, "roles")) who.push_back(resolve_role(s_, node_body(spec)));
  uint32_t me = s_.current_role_oid();
  for (uint32_t r : who)
    if (!s_.roles().has_privileges_of(me, r))
      raise(sqlstate::kInsufficientPrivilege, "permission denied to {} objects", reassign ? "reassign" : "drop");
  auto by = [&](uint32_t owner) { return std::ranges::find(who, owner) != who.end(); };
  catalog::Catalog& cat = s_.writable_catalog();
  storage::Transaction& txn = *s_.txn_;
  if (reassign) {
    uint32_t to = resolve_role(s_, field(n, "newrole")->as_object());
    change_every_access(cat, txn, [&](catalog::Ownership& a) {
      if (!by(a.owner)) return false;
      ddl::pass_ownership(a, to);
      return true;
    });
    return sink.complete("REASSIGN OWNED", 0);
  }
  // Revoke what was granted to them, then drop what they own.
  change_every_access(cat, txn, [&](catalog::Ownership& a) {
    if (!a.acl) return false;
    size_t before = a.acl->size();
    std::erase_if(*a.acl, [&](const catalog::AclItem& i) { return by(i.grantee) && !by(a.owner); });
    return a.acl->size() != before;
  });
  // Owned relations (views first, then tables, then sequences), then owned schemas: each as a
  // DROP ... CASCADE of its own.
  auto drop_all = [&](const char* remove_type, const std::vector<std::pair<std::string, std::string>>& names) {
    if (names.empty()) return;
    json::array objects;
    for (const auto& [schema, name] : names) {
      json::array parts{json::object{{"String", json::object{{"sval", schema}}}}, json::object{{"String", json::object{{"sval", name}}}}};
      objects.push_back(json::object{{"List", json::object{{"items", std::move(parts)}}}});
    }
    json::object stmt{{"objects", std::move(objects)}, {"removeType", remove_type}, {"behavior", "DROP_CASCADE"}, {"missing_ok", true}};
    DiscardSink quiet;
    drop(stmt, quiet);
  };
  std::vector<std::pair<std::string, std::string>> views, tables, seqs;
  for (const auto& [id, t] : s_.writable_catalog().tables())
    if (by(t->access.owner)) (t->is_view() ? views : tables).emplace_back(t->schema, t->name);
  for (const auto& [id, s] : s_.writable_catalog().sequences())
    if (by(s->access.owner) && !s->owner_table) seqs.emplace_back(s->schema, s->name);
  drop_all("OBJECT_VIEW", views);
  drop_all("OBJECT_TABLE", tables);
  drop_all("OBJECT_SEQUENCE", seqs);
  std::vector<std::string> owned_schemas;
  for (const auto& [name, s] : s_.writable_catalog().schemas())
    if (by(s->access.owner)) owned_schemas.push_back(name);
  if (!owned_schemas.empty()) {
    json::array objects;
    for (const auto& name : owned_schemas) objects.push_back(json::object{{"String", json::object{{"sval", name}}}});
    json::object stmt{{"objects", std::move(objects)}, {"removeType", "OBJECT_SCHEMA"}, {"behavior", "DROP_CASCADE"}, {"missing_ok", true}};
    DiscardSink quiet;
    drop_schemas(stmt, quiet);
  }
  sink.complete("DROP OWNED", 0);
}

}  // namespace heliosdb::engine
