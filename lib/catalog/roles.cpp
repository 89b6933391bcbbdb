#include "catalog/roles.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "catalog/system_views.h"
#include "common/errors.h"

namespace heliosdb::catalog {

namespace json = boost::json;

namespace {

constexpr std::string_view kLetters = "arwdDxtXUCTc";  // bit i of a privilege set is kLetters[i]
constexpr uint32_t kReadAllData = 6181, kWriteAllData = 6182;

// PostgreSQL 15's predefined roles (and which of them pg_monitor is a member of).
struct Predefined {
  uint32_t oid;
  const char* name;
};
constexpr Predefined kPredefined[] = {
    {kDatabaseOwnerRole, "pg_database_owner"}, {kReadAllData, "pg_read_all_data"},
    {kWriteAllData, "pg_write_all_data"},      {3373, "pg_monitor"},
    {3374, "pg_read_all_settings"},            {3375, "pg_read_all_stats"},
    {3377, "pg_stat_scan_tables"},             {4569, "pg_read_server_files"},
    {4570, "pg_write_server_files"},           {4571, "pg_execute_server_program"},
    {4200, "pg_signal_backend"},               {4544, "pg_checkpoint"},
};

// aclitem quotes a role name as an identifier when it is not plain (PostgreSQL's putid).
std::string acl_name(const std::string& n) {
  bool plain = !n.empty() && std::all_of(n.begin(), n.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; });
  if (plain) return n;
  std::string out = "\"";
  for (char c : n) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

[[noreturn]] void file_failed(const char* what, const std::string& path) {
  int err = errno;
  raise(err == ENOSPC ? sqlstate::kDiskFull : sqlstate::kIoError, "could not {} file \"{}\": {}", what, path, std::strerror(err));
}

// Writes text to path and syncs it (path is removed when that fails).
void write_synced(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  auto fail = [&](const char* what) {
    int err = errno;
    if (fd >= 0) ::close(fd);
    ::unlink(path.c_str());
    errno = err;
    file_failed(what, path);
  };
  if (fd < 0) fail("create");
  for (size_t done = 0; done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write");
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) fail("fsync");
  ::close(fd);
}

// Renames from to path, durably (the directory synced too).
void install(const std::string& from, const std::string& path) {
  if (::rename(from.c_str(), path.c_str()) != 0) file_failed("rename", from);
  std::string dir = std::filesystem::path(path).parent_path().string();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace

namespace {
thread_local uint32_t g_database_owner = kBootstrapSuperuser;
}  // namespace

uint32_t current_database_owner() { return g_database_owner; }
DatabaseOwnerScope::DatabaseOwnerScope(uint32_t owner) : saved_(g_database_owner) { g_database_owner = owner; }
DatabaseOwnerScope::~DatabaseOwnerScope() { g_database_owner = saved_; }

uint32_t privilege_of(std::string_view k) {
  static const std::pair<std::string_view, uint32_t> kNames[] = {
      {"select", kSelect}, {"insert", kInsert}, {"update", kUpdate}, {"delete", kDelete},
      {"truncate", kTruncate}, {"references", kReferences}, {"trigger", kTrigger}, {"execute", kExecute},
      {"usage", kUsage}, {"create", kCreate}, {"temporary", kCreateTemp}, {"temp", kCreateTemp}, {"connect", kConnect}};
  for (auto [n, p] : kNames)
    if (n.size() == k.size() && std::equal(n.begin(), n.end(), k.begin(), [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); }))
      return p;
  return 0;
}

std::string privilege_name(uint32_t p) {
  switch (p) {
    case kSelect: return "SELECT";
    case kInsert: return "INSERT";
    case kUpdate: return "UPDATE";
    case kDelete: return "DELETE";
    case kTruncate: return "TRUNCATE";
    case kReferences: return "REFERENCES";
    case kTrigger: return "TRIGGER";
    case kExecute: return "EXECUTE";
    case kUsage: return "USAGE";
    case kCreate: return "CREATE";
    case kCreateTemp: return "TEMPORARY";
    case kConnect: return "CONNECT";
    default: return "?";
  }
}

std::vector<AclItem> default_acl(char kind, uint32_t owner) {
  switch (kind) {
    case 'S': return {AclItem{owner, owner, kSequencePrivileges, 0}};
    case 'n': return {AclItem{owner, owner, kSchemaPrivileges, 0}};
    case 'd': return {AclItem{kPublicRole, owner, kCreateTemp | kConnect, 0}, AclItem{owner, owner, kDatabasePrivileges, 0}};
    default: return {AclItem{owner, owner, kTablePrivileges, 0}};
  }
}

uint32_t privileges_of_letters(std::string_view letters) {
  uint32_t out = 0;
  for (char c : letters)
    if (size_t i = kLetters.find(c); i != std::string_view::npos) out |= 1u << i;
  return out;
}

std::string acl_item_text(const AclItem& item, const Roles& roles) {
  std::string out = item.grantee == kPublicRole ? "" : acl_name(roles.name_of(item.grantee));
  out += '=';
  for (size_t i = 0; i < kLetters.size(); ++i) {
    if (!(item.privileges & (1u << i))) continue;
    out += kLetters[i];
    if (item.grant_options & (1u << i)) out += '*';
  }
  return out + "/" + acl_name(roles.name_of(item.grantor));
}

// ---- Roles ----

std::shared_ptr<Roles> Roles::bootstrap(const std::string& superuser) {
  auto r = std::make_shared<Roles>();
  RoleDef s;
  s.oid = kBootstrapSuperuser;
  s.name = superuser;
  s.superuser = s.createrole = s.createdb = s.login = s.replication = s.bypassrls = true;
  r->roles_[s.oid] = s;
  for (const auto& p : kPredefined) {
    RoleDef d;
    d.oid = p.oid;
    d.name = p.name;
    r->roles_[d.oid] = d;
  }
  for (uint32_t of : {3374u, 3375u, 3377u}) r->members_.push_back({of, 3373, kBootstrapSuperuser, false});
  return r;
}

std::shared_ptr<Roles> Roles::from_json(std::string_view text) {
  auto r = std::make_shared<Roles>();
  json::object o = json::parse(text).as_object();
  r->next_oid_ = static_cast<uint32_t>(o.at("next_oid").to_number<int64_t>());
  for (const auto& v : o.at("roles").as_array()) {
    const auto& j = v.as_object();
    RoleDef d;
    d.oid = static_cast<uint32_t>(j.at("oid").to_number<int64_t>());
    d.name = json::value_to<std::string>(j.at("name"));
    d.superuser = j.at("superuser").as_bool();
    d.inherit = j.at("inherit").as_bool();
    d.createrole = j.at("createrole").as_bool();
    d.createdb = j.at("createdb").as_bool();
    d.login = j.at("login").as_bool();
    d.replication = j.at("replication").as_bool();
    d.bypassrls = j.at("bypassrls").as_bool();
    d.connlimit = static_cast<int32_t>(j.at("connlimit").to_number<int64_t>());
    if (const auto* p = j.if_contains("password")) d.password = json::value_to<std::string>(*p);
    if (const auto* u = j.if_contains("valid_until")) d.valid_until = u->to_number<int64_t>();
    if (const auto* c = j.if_contains("comment")) d.comment = json::value_to<std::string>(*c);
    if (const auto* st = j.if_contains("settings"))
      for (const auto& [k, v] : st->as_object()) d.settings[std::string(k)] = json::value_to<std::string>(v);
    r->roles_[d.oid] = std::move(d);
  }
  if (const auto* owners = o.if_contains("database_owners"))
    for (const auto& [name, oid] : owners->as_object())
      r->database_owners_[std::string(name)] = static_cast<uint32_t>(oid.to_number<int64_t>());
  if (const auto* access = o.if_contains("database_access"))
    for (const auto& [name, a] : access->as_object())
      r->database_access_[std::string(name)] = {a.at("allow_connections").as_bool(),
                                                static_cast<int32_t>(a.at("connlimit").to_number<int64_t>())};
  for (const auto& v : o.at("members").as_array()) {
    const auto& j = v.as_object();
    r->members_.push_back({static_cast<uint32_t>(j.at("role").to_number<int64_t>()),
                           static_cast<uint32_t>(j.at("member").to_number<int64_t>()),
                           static_cast<uint32_t>(j.at("grantor").to_number<int64_t>()), j.at("admin").as_bool()});
  }
  return r;
}

std::string Roles::to_json() const {
  json::array roles, members;
  for (const auto& [oid, d] : roles_) {
    json::object j{{"oid", d.oid}, {"name", d.name}, {"superuser", d.superuser}, {"inherit", d.inherit},
                   {"createrole", d.createrole}, {"createdb", d.createdb}, {"login", d.login},
                   {"replication", d.replication}, {"bypassrls", d.bypassrls}, {"connlimit", d.connlimit}};
    if (!d.password.empty()) j["password"] = d.password;
    if (d.valid_until) j["valid_until"] = *d.valid_until;
    if (!d.comment.empty()) j["comment"] = d.comment;
    if (!d.settings.empty()) {
      json::object st;
      for (const auto& [k, v] : d.settings) st[k] = v;
      j["settings"] = std::move(st);
    }
    roles.push_back(std::move(j));
  }
  for (const auto& m : members_)
    members.push_back(json::object{{"role", m.role}, {"member", m.member}, {"grantor", m.grantor}, {"admin", m.admin}});
  json::object owners;
  for (const auto& [name, oid] : database_owners_) owners[name] = oid;
  json::object access;
  for (const auto& [name, a] : database_access_)
    access[name] = json::object{{"allow_connections", a.allow_connections}, {"connlimit", a.connlimit}};
  return json::serialize(json::object{{"next_oid", next_oid_}, {"roles", std::move(roles)}, {"members", std::move(members)},
                                      {"database_owners", std::move(owners)}, {"database_access", std::move(access)}});
}

const RoleDef* Roles::find(std::string_view name) const {
  for (const auto& [oid, d] : roles_)
    if (d.name == name) return &d;
  return nullptr;
}

const RoleDef* Roles::find(uint32_t oid) const {
  auto it = roles_.find(oid);
  return it == roles_.end() ? nullptr : &it->second;
}

std::string Roles::name_of(uint32_t oid) const {
  const RoleDef* d = find(oid);
  return d ? d->name : std::to_string(oid);
}

// Whether member reaches role through memberships (only through roles that inherit, with
// inheriting: PostgreSQL's privileges of a role versus SET ROLE's membership).
bool Roles::reaches(uint32_t member, uint32_t role, bool inheriting) const {
  if (member == role) return true;
  const RoleDef* m = find(member);
  if (m && m->superuser) return true;
  std::set<uint32_t> seen{member};
  std::vector<uint32_t> todo{member};
  while (!todo.empty()) {
    uint32_t cur = todo.back();
    todo.pop_back();
    if (inheriting) {
      const RoleDef* c = find(cur);
      if (c && !c->inherit) continue;  // NOINHERIT: only its own privileges
      if (role == kDatabaseOwnerRole && cur == current_database_owner()) return true;  // the database's owner
    }
    for (const auto& e : members_)
      if (e.member == cur && seen.insert(e.role).second) {
        if (e.role == role) return true;
        todo.push_back(e.role);
      }
  }
  return false;
}

bool Roles::has_admin_of(uint32_t member, uint32_t role) const {
  const RoleDef* m = find(member);
  if (m && (m->superuser || m->createrole)) return true;
  for (const auto& e : members_)
    if (e.role == role && e.admin && is_member_of(member, e.member)) return true;
  return false;
}

uint32_t Roles::privileges(uint32_t role, const Ownership& object, char kind, uint32_t all) const {
  const RoleDef* r = find(role);
  if (r && r->superuser) return all;
  uint32_t have = 0;
  auto items = object.acl ? *object.acl : default_acl(kind, object.owner);
  for (const auto& item : items)
    if (item.grantee == kPublicRole || has_privileges_of(role, item.grantee)) have |= item.privileges;
  if ((kind == 'r' || kind == 'S') && has_privileges_of(role, kReadAllData)) have |= kSelect;
  if (kind == 'r' && has_privileges_of(role, kWriteAllData)) have |= kInsert | kUpdate | kDelete;
  if (kind == 'n' && (has_privileges_of(role, kReadAllData) || has_privileges_of(role, kWriteAllData))) have |= kUsage;
  return have & all;
}

uint32_t Roles::grant_options(uint32_t role, const Ownership& object, char kind) const {
  const RoleDef* r = find(role);
  if ((r && r->superuser) || has_privileges_of(role, object.owner)) return ~0u;  // the owner may grant anything
  uint32_t have = 0;
  auto items = object.acl ? *object.acl : default_acl(kind, object.owner);
  for (const auto& item : items)
    if (item.grantee == kPublicRole || has_privileges_of(role, item.grantee)) have |= item.grant_options;
  return have;
}

uint32_t Roles::database_owner(const std::string& database) const {
  auto it = database_owners_.find(database);
  return it == database_owners_.end() ? kBootstrapSuperuser : it->second;
}

void Roles::set_database_owner(const std::string& database, uint32_t owner) {
  if (owner == kBootstrapSuperuser) database_owners_.erase(database);
  else database_owners_[database] = owner;
}

uint32_t Roles::add(RoleDef role) {
  role.oid = next_oid_++;
  uint32_t oid = role.oid;
  roles_[oid] = std::move(role);
  return oid;
}

void Roles::put(RoleDef role) { roles_[role.oid] = std::move(role); }

void Roles::remove(uint32_t oid) {
  roles_.erase(oid);
  std::erase_if(members_, [&](const RoleMembership& m) { return m.role == oid || m.member == oid; });
}

bool Roles::grant(uint32_t role, uint32_t member, uint32_t grantor, bool admin) {
  for (auto& m : members_)
    if (m.role == role && m.member == member) {
      if (admin && !m.admin) {
        m.admin = true;
        return true;
      }
      return false;
    }
  members_.push_back({role, member, grantor, admin});
  return true;
}

bool Roles::revoke(uint32_t role, uint32_t member, bool admin_only) {
  for (auto it = members_.begin(); it != members_.end(); ++it)
    if (it->role == role && it->member == member) {
      if (admin_only) it->admin = false;
      else members_.erase(it);
      return true;
    }
  return false;
}

// ---- RoleStore ----

RoleStore::RoleStore(std::string file, const std::string& superuser) : file_(std::move(file)) {
  if (!file_.empty() && std::filesystem::exists(file_)) {
    std::ifstream in(file_, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    try {
      roles_ = Roles::from_json(text.str());
    } catch (const std::exception& e) {
      raise(sqlstate::kDataCorrupted, "could not read roles from \"{}\": {}", file_, e.what());
    }
  } else {
    roles_ = Roles::bootstrap(superuser);
  }
}

std::shared_ptr<const Roles> RoleStore::current() const {
  std::lock_guard lock(mu_);
  return roles_;
}

RoleStore::Pending RoleStore::prepare(std::shared_ptr<Roles> changed, uint64_t base_version) {
  Pending pending(*this, std::move(changed));
  if (current()->version() != base_version)
    raise(sqlstate::kTRSerializationFailure, "could not serialize access due to concurrent update of roles");
  if (!file_.empty()) {
    write_synced(file_ + ".tmp", pending.changed_->to_json());
    pending.file_ = file_ + ".tmp";
  }
  return pending;
}

RoleStore::Pending::Pending(RoleStore& store, std::shared_ptr<Roles> changed)
    : store_(&store), writing_(store.writing_), changed_(std::move(changed)) {}

RoleStore::Pending::~Pending() {
  if (changed_ && !file_.empty()) ::unlink(file_.c_str());
}

void RoleStore::Pending::commit() {
  if (!file_.empty()) install(file_, store_->file_);
  file_.clear();
  changed_->bump_version();
  std::lock_guard lock(store_->mu_);
  store_->roles_ = std::move(changed_);
}

}  // namespace heliosdb::catalog
