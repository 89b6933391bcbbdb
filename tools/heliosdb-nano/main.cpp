// heliosdb-nano: serves the databases of a data directory over the PostgreSQL protocol.
//
//   heliosdb-nano [--config FILE] [--data-dir DIR] [--host HOST] [--port PORT] [--memory]
//                 [--log-level debug|info|warning|error] [--auth METHOD] [--users FILE]
//                 [--tls-cert FILE --tls-key FILE] [--tls-mode MODE] [--max-connections N]
//                 [--threads N] [--statement-timeout MS] [--idle-timeout MS] [--create-databases]
//   heliosdb-nano user add|passwd|remove NAME | user list      (the users file)
//   heliosdb-nano --version | --help
//
// Flags override the config file (heliosdb.toml). With no arguments it serves ./heliosdb-data
// on 127.0.0.1:5432. Each database is a subdirectory of the data directory; "postgres" is
// created on first start. Until users are configured, authentication is trust for loopback
// clients only; with users (the users file), scram-sha-256, unless a method is configured.
#include <fcntl.h>
#include <sys/file.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "config.h"
#include "heliosdb/heliosdb.h"
#include "heliosdb/pgwire/server.h"

namespace {

using heliosdb::nano::Config;
using heliosdb::nano::ConfigError;
using heliosdb::nano::LogLevel;

volatile std::sig_atomic_t g_stop = 0;
volatile std::sig_atomic_t g_reload = 0;

void usage(std::ostream& out) {
  out << "usage: heliosdb-nano [--config FILE] [--data-dir DIR] [--host HOST] [--port PORT] [--memory]\n"
         "                     [--log-level debug|info|warning|error] [--auth trust|password|md5|scram-sha-256]\n"
         "                     [--users FILE] [--tls-cert FILE --tls-key FILE] [--tls-mode require|prefer|allow|disable]\n"
         "                     [--max-connections N] [--threads N] [--statement-timeout MS] [--idle-timeout MS]\n"
         "                     [--create-databases]   (a connection to a missing database creates it)\n"
         "                     [--superuser NAME]     (a new data directory's superuser, as initdb -U; default postgres)\n"
         "       heliosdb-nano user add NAME | user passwd NAME | user remove NAME | user list\n"
         "                     [--config FILE] [--data-dir DIR] [--users FILE]\n"
         "       heliosdb-nano --version | --help\n"
         "\n"
         "Serves the databases of the data directory (default ./heliosdb-data, one sub-directory each)\n"
         "over the PostgreSQL protocol, on 127.0.0.1:5432 unless told otherwise. Flags override the\n"
         "config file. `user add` reads the password without echo (or one line from standard input).\n";
}

[[noreturn]] void fail(const std::string& message, int code = 1) {
  std::cerr << "heliosdb-nano: " << message << "\n";
  std::exit(code);
}

// Log lines on stderr: time, connection, level, message.
struct Logger {
  LogLevel min = LogLevel::info;
  std::mutex mu;
  void operator()(LogLevel level, int32_t connection, std::string_view message) {
    if (level < min) return;
    static constexpr const char* kNames[] = {"DEBUG", "LOG", "WARNING", "ERROR"};
    auto now = std::chrono::system_clock::now();
    std::time_t t = std::chrono::system_clock::to_time_t(now);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
    std::string who = connection ? fmt::format("[conn {}]", connection) : "[server]";
    std::lock_guard lock(mu);
    std::cerr << fmt::format("{}.{:03} UTC {} {}:  {}\n", stamp, ms, who, kNames[static_cast<int>(level)], message);
  }
};

// ---- the users file: one "name:verifier" line per user ----

std::vector<std::string> read_lines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string line_user(const std::string& line) {
  if (line.empty() || line[0] == '#') return "";
  size_t colon = line.find(':');
  return colon == std::string::npos ? "" : line.substr(0, colon);
}

std::string read_password(const std::string& prompt) {
  std::string password;
  if (isatty(STDIN_FILENO)) {
    std::cerr << prompt << std::flush;
    termios old{};
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    std::getline(std::cin, password);
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
  } else {
    std::getline(std::cin, password);
  }
  if (password.empty()) fail("empty password");
  return password;
}

int users_command(const std::vector<std::string>& args, const std::string& file) {
  if (args.empty()) fail("user: add, passwd, remove or list", 2);
  const std::string& what = args[0];
  std::vector<std::string> lines = read_lines(file);
  auto find = [&](const std::string& name) {
    for (size_t i = 0; i < lines.size(); ++i)
      if (line_user(lines[i]) == name) return static_cast<int>(i);
    return -1;
  };
  if (what == "list") {
    if (args.size() != 1) fail("user list takes no name", 2);
    for (const auto& l : lines)
      if (auto u = line_user(l); !u.empty()) std::cout << u << "\n";
    return 0;
  }
  if (args.size() != 2) fail("user " + what + " NAME", 2);
  const std::string& name = args[1];
  if (name.empty() || name.find_first_of(":\n\r") != std::string::npos) fail("invalid user name \"" + name + "\"", 2);
  int at = find(name);
  if (what == "add") {
    if (at >= 0) fail("user \"" + name + "\" already exists in " + file);
    lines.push_back(name + ":" + heliosdb::pgwire::make_password_verifier(read_password("Password for " + name + ": ")));
  } else if (what == "passwd") {
    if (at < 0) fail("no user \"" + name + "\" in " + file);
    lines[static_cast<size_t>(at)] = name + ":" + heliosdb::pgwire::make_password_verifier(read_password("New password for " + name + ": "));
  } else if (what == "remove") {
    if (at < 0) fail("no user \"" + name + "\" in " + file);
    lines.erase(lines.begin() + at);
  } else {
    fail("user: add, passwd, remove or list", 2);
  }
  // Written whole to a new file, then renamed over the old one; readable by the owner only.
  std::filesystem::path target(file);
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path());
  std::string tmp = file + ".new";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) fail("could not write " + tmp + ": " + std::strerror(errno));
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), file.c_str()) != 0) fail("could not write " + file + ": " + std::strerror(errno));
  std::cout << "user \"" << name << "\" " << (what == "add" ? "added to" : what == "remove" ? "removed from" : "changed in")
            << " " << file << "\n";
  return 0;
}

// One instance per data directory: a lock held while the process lives.
void lock_data_dir(const std::string& dir) {
  std::string path = (std::filesystem::path(dir) / "heliosdb.pid").string();
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT, 0600);
  if (fd < 0) fail("could not create lock file \"" + path + "\": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    std::string other;
    std::ifstream(path) >> other;
    fail("data directory \"" + dir + "\" is in use by another heliosdb-nano" + (other.empty() ? "" : " (pid " + other + ")"));
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::write(fd, pid.data(), pid.size()) < 0) fail("could not write lock file \"" + path + "\"");
  // fd stays open (and locked) until the process ends.
}

}  // namespace

int main(int argc, char** argv) {
  Config config;
  std::string config_file;
  std::vector<std::pair<std::string, std::string>> server_flags;  // name, value: after the file
  std::string data_dir_flag, log_level_flag, users_flag, superuser_flag;
  bool memory_flag = false, create_flag = false;
  std::vector<std::string> user_args;
  static const std::map<std::string, std::string> kServerFlags = {
      {"--host", "host"}, {"-h", "host"}, {"--port", "port"}, {"-p", "port"}, {"--auth", "auth"},
      {"--tls-cert", "tls_cert"}, {"--tls-key", "tls_key"}, {"--tls-mode", "tls_mode"},
      {"--max-connections", "max_connections"}, {"--threads", "threads"},
      {"--statement-timeout", "statement_timeout"}, {"--idle-timeout", "idle_timeout"}};
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) fail("option " + a + " needs a value", 2);
      return argv[++i];
    };
    if (a == "--config" || a == "-c") config_file = value();
    else if (a == "--data-dir" || a == "-D") data_dir_flag = value();
    else if (a == "--users") users_flag = value();
    else if (a == "--memory") memory_flag = true;
    else if (a == "--create-databases") create_flag = true;
    else if (a == "--superuser" || a == "-U") superuser_flag = value();
    else if (a == "--log-level") log_level_flag = value();
    else if (auto f = kServerFlags.find(a); f != kServerFlags.end()) server_flags.emplace_back(f->second, value());
    else if (a == "--make-verifier") {
      std::string name = value(), password;
      std::getline(std::cin, password);
      std::cout << name << ":" << heliosdb::pgwire::make_password_verifier(password) << "\n";
      return 0;
    } else if (a == "--help") {
      usage(std::cout);
      return 0;
    } else if (a == "--version" || a == "-V") {
      std::cout << "heliosdb-nano " << heliosdb::version() << " (PostgreSQL 15 protocol and SQL)\n";
      return 0;
    } else if (a == "user" && i == 1) {
      while (i + 1 < argc && argv[i + 1][0] != '-') user_args.emplace_back(argv[++i]);
      if (user_args.empty()) fail("user: add, passwd, remove or list", 2);
    } else {
      std::cerr << "heliosdb-nano: unknown option " << a << "\n";
      usage(std::cerr);
      return 2;
    }
  }
  try {
    if (!config_file.empty()) heliosdb::nano::load_config(config_file, config);
    if (!data_dir_flag.empty()) config.data_dir = data_dir_flag;
    if (!users_flag.empty()) config.users_file = users_flag;
    if (memory_flag) config.memory = true;
    if (create_flag) config.create_databases = true;
    if (!superuser_flag.empty()) config.database.superuser = superuser_flag;
    if (!log_level_flag.empty()) config.log_level = heliosdb::nano::parse_log_level(log_level_flag);
    for (const auto& [name, value] : server_flags) {
      heliosdb::pgwire::set_server_option(config.server, name, value);
      if (name == "auth") config.auth_set = true;
    }
  } catch (const ConfigError& e) {
    fail(e.what(), 2);
  } catch (const heliosdb::Error& e) {
    fail(e.message(), 2);
  }
  if (config.users_file.empty()) config.users_file = (std::filesystem::path(config.data_dir) / "users.conf").string();
  if (!user_args.empty()) return users_command(user_args, config.users_file);

  auto started = std::chrono::steady_clock::now();
  Logger logger;
  logger.min = config.log_level;
  auto& o = config.server;
  o.log = [&logger](LogLevel l, int32_t c, std::string_view m) { logger(l, c, m); };
  if (!config.ssl_enabled) {
    o.tls_mode = heliosdb::pgwire::TlsMode::disable;
    o.tls_cert_file.clear();
    o.tls_key_file.clear();
  }
  try {
    if (std::filesystem::exists(config.users_file)) o.users = heliosdb::pgwire::read_users_file(config.users_file);
    std::optional<heliosdb::Cluster> cluster;
    if (config.memory) {
      cluster = heliosdb::Cluster::open_in_memory(config.database);
    } else {
      cluster = heliosdb::Cluster::open(config.data_dir, config.database);
      lock_data_dir(config.data_dir);
    }
    cluster->set_create_on_connect(config.create_databases);
    if (!config.auth_set) {
      // A fresh cluster: trust, for loopback clients only, until users are configured (the users
      // file, or a role with a password: ALTER ROLE postgres PASSWORD '...').
      bool users = !o.users.empty() || cluster->has_passwords();
      o.auth = users ? heliosdb::pgwire::AuthMethod::scram_sha_256 : heliosdb::pgwire::AuthMethod::trust;
      o.trust_loopback_only = true;
    }
    if (o.auth == heliosdb::pgwire::AuthMethod::trust && !o.trust_loopback_only && o.host != "127.0.0.1" &&
        o.host != "localhost" && o.host != "::1")
      logger(LogLevel::warning, 0, fmt::format("trust authentication on {}: anyone who can reach it connects", o.host));
    heliosdb::pgwire::Server server(*cluster, o);
    std::signal(SIGINT, [](int) { g_stop = 1; });
    std::signal(SIGTERM, [](int) { g_stop = 1; });
    std::signal(SIGHUP, [](int) { g_reload = 1; });
    server.start();
    auto ms = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count() / 1000.0;
    std::string where = config.memory ? "in memory" : "data directory " + config.data_dir;
    logger(LogLevel::info, 0, fmt::format("ready to accept connections on {}:{} ({}; started in {:.1f} ms)", o.host,
                                          server.port(), where, ms));
    std::cout << "heliosdb-nano " << heliosdb::version() << " listening on " << o.host << ":" << server.port() << " ("
              << where << ")\n"
              << "connect with: psql -h " << o.host << " -p " << server.port() << " -U postgres postgres" << std::endl;
    while (!g_stop) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (g_reload) {
        g_reload = 0;
        try {
          auto users = std::filesystem::exists(config.users_file) ? heliosdb::pgwire::read_users_file(config.users_file)
                                                                  : std::map<std::string, std::string>{};
          size_t n = users.size();
          server.set_users(std::move(users));
          logger(LogLevel::info, 0, fmt::format("received SIGHUP: {} users read from {}", n, config.users_file));
        } catch (const heliosdb::Error& e) {
          logger(LogLevel::error, 0, fmt::format("received SIGHUP, users file not reloaded: {}", e.message()));
        }
      }
    }
    logger(LogLevel::info, 0, "received shutdown request: no new connections, finishing running statements");
    server.stop();
    logger(LogLevel::info, 0, "shut down");
  } catch (const heliosdb::Error& e) {
    fail(e.message() + " (" + e.sqlstate() + ")");
  }
  return 0;
}
