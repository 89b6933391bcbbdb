// Roles and privileges: PostgreSQL's pg_authid and pg_auth_members (shared by every database of a
// cluster) and the ACLs of tables, sequences and schemas (aclitem).
//
// Roles is an immutable snapshot like the Catalog: role DDL copies it, changes the copy inside its
// transaction and publishes it through the RoleStore at commit.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace heliosdb::catalog {

// Privilege bits (catalog::kSelect & co.), as PostgreSQL's ACL_* (and their letters in aclitem's text, in this order).
inline constexpr uint32_t kInsert = 1u << 0;  // a
inline constexpr uint32_t kSelect = 1u << 1;  // r
inline constexpr uint32_t kUpdate = 1u << 2;  // w
inline constexpr uint32_t kDelete = 1u << 3;  // d
inline constexpr uint32_t kTruncate = 1u << 4;  // D
inline constexpr uint32_t kReferences = 1u << 5;  // x
inline constexpr uint32_t kTrigger = 1u << 6;  // t
inline constexpr uint32_t kExecute = 1u << 7;  // X
inline constexpr uint32_t kUsage = 1u << 8;  // U
inline constexpr uint32_t kCreate = 1u << 9;  // C
inline constexpr uint32_t kCreateTemp = 1u << 10;  // T
inline constexpr uint32_t kConnect = 1u << 11;  // c
inline constexpr uint32_t kTablePrivileges = kInsert | kSelect | kUpdate | kDelete | kTruncate | kReferences | kTrigger;
inline constexpr uint32_t kSequencePrivileges = kUsage | kSelect | kUpdate;
inline constexpr uint32_t kSchemaPrivileges = kUsage | kCreate;
inline constexpr uint32_t kDatabasePrivileges = kCreate | kCreateTemp | kConnect;
inline constexpr uint32_t kPublicRole = 0;  // the grantee PUBLIC
inline constexpr uint32_t kWithGrantOption = 1u << 31;  // has_*_privilege(... WITH GRANT OPTION)

// The privilege a keyword names (SELECT, INSERT, ..., USAGE, CREATE, TEMPORARY, CONNECT); 0 when none.
uint32_t privilege_of(std::string_view keyword);
// The privileges aclitem's letters name ("arwdDxt"; letters that name none are ignored).
uint32_t privileges_of_letters(std::string_view letters);
// Its name as privilege_type in information_schema and in messages ("SELECT", ...).
std::string privilege_name(uint32_t privilege);

struct AclItem {
  uint32_t grantee = kPublicRole;
  uint32_t grantor = 0;
  uint32_t privileges = 0;
  uint32_t grant_options = 0;  // a subset of privileges
};

// Who owns an object and who may use it. acl nullopt: never granted or revoked, so the default
// of its kind applies (PostgreSQL's NULL relacl / nspacl).
struct Ownership {
  uint32_t owner = 10;
  std::optional<std::vector<AclItem>> acl;
};

// The ACL an object of that kind has before any GRANT ('r' table or view, 'S' sequence, 'n' schema).
std::vector<AclItem> default_acl(char kind, uint32_t owner);

struct RoleDef {
  uint32_t oid = 0;
  std::string name;
  bool superuser = false, inherit = true, createrole = false, createdb = false, login = false, replication = false,
       bypassrls = false;
  int32_t connlimit = -1;
  std::string password;                // verifier (SCRAM-SHA-256$... or md5...); empty: none
  std::optional<int64_t> valid_until;  // timestamptz, µs since 2000-01-01
  std::string comment;                 // COMMENT ON ROLE (pg_shdescription)
  // ALTER ROLE ... SET name = value: the role's sessions start with these (pg_db_role_setting).
  std::map<std::string, std::string> settings;
};

// GRANT role TO member.
struct RoleMembership {
  uint32_t role = 0, member = 0, grantor = 0;
  bool admin = false;
};

// The owner of the database the running statement is in: pg_database_owner's implicit member.
// The session sets it for the thread that runs its statement (the bootstrap superuser when unset).
uint32_t current_database_owner();
class DatabaseOwnerScope {
 public:
  explicit DatabaseOwnerScope(uint32_t owner);
  ~DatabaseOwnerScope();
  DatabaseOwnerScope(const DatabaseOwnerScope&) = delete;
  DatabaseOwnerScope& operator=(const DatabaseOwnerScope&) = delete;

 private:
  uint32_t saved_;
};

class Roles {
 public:
  // A fresh cluster's roles: the bootstrap superuser (OID 10) called `superuser`, and
  // PostgreSQL 15's predefined roles (pg_database_owner, pg_read_all_data, ...).
  static std::shared_ptr<Roles> bootstrap(const std::string& superuser);
  static std::shared_ptr<Roles> from_json(std::string_view text);
  std::string to_json() const;

  uint64_t version() const { return version_; }
  void bump_version() { ++version_; }

  const RoleDef* find(std::string_view name) const;
  const RoleDef* find(uint32_t oid) const;
  const std::map<uint32_t, RoleDef>& all() const { return roles_; }
  const std::vector<RoleMembership>& memberships() const { return members_; }
  // The role's name, or its OID as text when it is gone (as aclitem prints a dropped grantee).
  std::string name_of(uint32_t oid) const;

  // member has role's privileges: it is role, a superuser, or a member of it through roles
  // that inherit. The database's owner (10 here) has pg_database_owner's.
  bool has_privileges_of(uint32_t member, uint32_t role) const { return reaches(member, role, true); }
  // member may SET ROLE to role: it is role, a superuser, or a member of it (inheriting or not).
  bool is_member_of(uint32_t member, uint32_t role) const { return reaches(member, role, false); }
  // member may grant role to others (WITH ADMIN OPTION, or a superuser / CREATEROLE role).
  bool has_admin_of(uint32_t member, uint32_t role) const;
  // The privileges of `role` on an object: its ACL items for role, PUBLIC and the roles role
  // has the privileges of (a superuser has them all; `all` is the object kind's full set).
  uint32_t privileges(uint32_t role, const Ownership& object, char kind, uint32_t all) const;
  uint32_t grant_options(uint32_t role, const Ownership& object, char kind) const;

  // Changes, on a private copy.
  uint32_t add(RoleDef role);  // returns the new OID
  void put(RoleDef role);
  void remove(uint32_t oid);   // and its memberships
  // Returns false when it was already so (PostgreSQL: a NOTICE).
  bool grant(uint32_t role, uint32_t member, uint32_t grantor, bool admin);
  bool revoke(uint32_t role, uint32_t member, bool admin_only);

  // Owners of the cluster's databases (pg_database.datdba): the bootstrap superuser unless
  // CREATE DATABASE was run by, or for, another role.
  uint32_t database_owner(const std::string& database) const;
  void set_database_owner(const std::string& database, uint32_t owner);
  void forget_database(const std::string& database) {
    database_owners_.erase(database);
    database_access_.erase(database);
  }
  const std::map<std::string, uint32_t>& database_owners() const { return database_owners_; }
  // Who may connect to a database (pg_database.datallowconn, datconnlimit; CREATE / ALTER
  // DATABASE ... ALLOW_CONNECTIONS, CONNECTION LIMIT).
  struct DatabaseAccess {
    bool allow_connections = true;
    int32_t connlimit = -1;  // -1: no limit
    bool operator==(const DatabaseAccess&) const = default;
  };
  DatabaseAccess database_access(const std::string& database) const {
    auto it = database_access_.find(database);
    return it == database_access_.end() ? DatabaseAccess{} : it->second;
  }
  void set_database_access(const std::string& database, DatabaseAccess access) {
    if (access == DatabaseAccess{}) database_access_.erase(database);
    else database_access_[database] = access;
  }

 private:
  bool reaches(uint32_t member, uint32_t role, bool inheriting) const;
  uint64_t version_ = 1;
  uint32_t next_oid_ = 16384;
  std::map<uint32_t, RoleDef> roles_;
  std::vector<RoleMembership> members_;
  std::map<std::string, uint32_t> database_owners_;  // only those not owned by the bootstrap superuser
  std::map<std::string, DatabaseAccess> database_access_;  // only those not as by default
};

// Where a cluster's roles are kept: a JSON file written atomically (temp file, fsync, rename)
// at each commit that changes them; in memory when `file` is empty.
class RoleStore {
 public:
  explicit RoleStore(std::string file, const std::string& superuser = "postgres");
  std::shared_ptr<const Roles> current() const;

  // A change of roles, committed in two steps around the data of its transaction: prepare()
  // checks it (40001 when another commit changed the roles since base_version) and writes it
  // to a file of its own (a full disk fails here, before anything is committed); commit() puts
  // that file in place and publishes the roles. Dropped uncommitted (the data's commit failed),
  // it is undone. Other changes of roles wait for it.
  class Pending {
   public:
    Pending(Pending&&) = default;
    Pending& operator=(Pending&&) = delete;
    ~Pending();
    void commit();

   private:
    friend class RoleStore;
    Pending(RoleStore& store, std::shared_ptr<Roles> changed);
    RoleStore* store_;
    std::unique_lock<std::mutex> writing_;
    std::shared_ptr<Roles> changed_;
    std::string file_;  // the written change, until commit() (empty in memory)
  };
  Pending prepare(std::shared_ptr<Roles> changed, uint64_t base_version);
  void publish(std::shared_ptr<Roles> changed, uint64_t base_version) { prepare(std::move(changed), base_version).commit(); }

 private:
  std::string file_;
  std::mutex writing_;  // held from prepare() to commit() or undo
  mutable std::mutex mu_;
  std::shared_ptr<const Roles> roles_;
};

// aclitem's text: "grantee=privileges/grantor" (an empty grantee is PUBLIC; '*' after a letter
// marks the grant option), and an ACL's ("{...}" as aclitem[]).
std::string acl_item_text(const AclItem& item, const Roles& roles);

}  // namespace heliosdb::catalog
