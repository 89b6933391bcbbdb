#include "heliosdb/cluster.h"

#include <algorithm>
#include <filesystem>

#include "common/errors.h"
#include "engine/cluster_impl.h"
#include "engine/database_impl.h"

namespace heliosdb {

namespace engine {

namespace {
// Whether a database of that name can be a sub-directory of the cluster's.
bool directory_name(const std::string& name) {
  return !name.empty() && name[0] != '.' && name.find_first_of(std::string_view("/\0", 2)) == std::string::npos;
}
}  // namespace

bool ClusterImpl::exists_locked(const std::string& name) const {
  if (open_.count(name)) return true;
  if (in_memory) return memory_names_.count(name) > 0;
  return directory_name(name) && std::filesystem::is_directory(std::filesystem::path(dir) / name);
}

std::shared_ptr<DatabaseImpl> ClusterImpl::open_locked(const std::string& name) {
  if (auto it = open_.find(name); it != open_.end()) return it->second;
  Database db = in_memory ? Database::open_in_memory(options) : Database::open((std::filesystem::path(dir) / name).string(), options);
  auto impl = db.shared_impl();
  impl->set_name(name);
  impl->cluster = weak_from_this();
  impl->roles = roles;
  impl->activity = activity;
  open_.emplace(name, impl);
  return impl;
}

std::shared_ptr<DatabaseImpl> ClusterImpl::database(const std::string& name, bool create_missing) {
  std::lock_guard lock(mu_);
  if (!exists_locked(name)) {
    if (!create_missing || !directory_name(name)) return nullptr;
    if (in_memory) memory_names_.insert(name);
  }
  return open_locked(name);
}

std::vector<std::string> ClusterImpl::names() {
  std::lock_guard lock(mu_);
  std::set<std::string> out = memory_names_;
  if (!in_memory) {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
      if (e.is_directory() && e.path().filename().string()[0] != '.') out.insert(e.path().filename().string());
  }
  return {out.begin(), out.end()};
}

void ClusterImpl::create(const std::string& name) {
  if (!directory_name(name))
    raise(sqlstate::kFeatureNotSupported, "database name \"{}\" cannot be a directory name", name);
  std::lock_guard lock(mu_);
  auto path = std::filesystem::path(dir) / name;
  if (exists_locked(name) || (!in_memory && std::filesystem::exists(path)))
    raise(sqlstate::kDuplicateDatabase, "database \"{}\" already exists", name);
  if (in_memory) memory_names_.insert(name);
  try {
    open_locked(name);
  } catch (...) {
    memory_names_.erase(name);
    if (!in_memory) {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
    throw;
  }
}

bool ClusterImpl::drop(const std::string& name, const DatabaseImpl* asking, bool missing_ok) {
  std::lock_guard lock(mu_);
  auto path = std::filesystem::path(dir) / name;
  if (!exists_locked(name)) {
    if (missing_ok) return false;
    raise(sqlstate::kInvalidCatalogName, "database \"{}\" does not exist", name);
  }
  if (auto it = open_.find(name); it != open_.end()) {
    if (it->second.get() == asking) raise(sqlstate::kObjectInUse, "cannot drop the currently open database");
    int others = it->second->sessions.load();
    if (others > 0 || it->second.use_count() > 1)
      throw Error(sqlstate::kObjectInUse, fmt::format("database \"{}\" is being accessed by other users", name))
          .with_detail(others == 1 ? "There is 1 other session using the database."
                                   : fmt::format("There are {} other sessions using the database.", std::max(others, 1)));
    open_.erase(it);  // the last reference: the database closes here
  }
  memory_names_.erase(name);
  if (!in_memory) {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
    if (ec) raise(sqlstate::kIoError, "could not remove directory \"{}\": {}", path.string(), ec.message());
  }
  return true;
}

}  // namespace engine

Cluster Cluster::open(const std::string& dir, const Options& options) {
  auto impl = std::make_shared<engine::ClusterImpl>();
  impl->dir = dir;
  impl->options = options;
  impl->options.create_if_missing = true;
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(dir) / "postgres", ec);
  if (ec) raise(sqlstate::kIoError, "could not create directory \"{}\": {}", dir, ec.message());
  impl->roles = std::make_shared<catalog::RoleStore>((std::filesystem::path(dir) / "roles.json").string(), options.superuser);
  return Cluster(impl);
}

Cluster Cluster::open_in_memory(const Options& options) {
  auto impl = std::make_shared<engine::ClusterImpl>();
  impl->in_memory = true;
  impl->options = options;
  impl->roles = std::make_shared<catalog::RoleStore>("", options.superuser);
  impl->add_in_memory("postgres");
  return Cluster(impl);
}

std::optional<Database> Cluster::database(const std::string& name) {
  auto impl = impl_->database(name, impl_->create_on_connect);
  if (!impl) return std::nullopt;
  return Database(impl);
}

std::vector<std::string> Cluster::database_names() { return impl_->names(); }
std::optional<LoginRole> Cluster::login_role(const std::string& name) const { return engine::login_role(*impl_->roles, name); }
bool Cluster::has_passwords() const {
  auto roles = impl_->roles->current();
  return std::ranges::any_of(roles->all(), [](const auto& kv) { return !kv.second.password.empty(); });
}
void Cluster::set_create_on_connect(bool on) { impl_->create_on_connect = on; }
void Cluster::create_database(const std::string& name) { impl_->create(name); }
void Cluster::drop_database(const std::string& name) { impl_->drop(name, nullptr, false); }

}  // namespace heliosdb
