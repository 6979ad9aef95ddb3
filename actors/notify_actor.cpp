#include "actors/notify_actor.hpp"

namespace em {
namespace {

using self_ptr = notify_actor::stateful_pointer<notify_state>;

// Read at each notification, so set-server --internet-web-proxy applies at once.
std::string proxy_of(self_ptr self) {
  try {
    auto server = self->state.store->find_server(self->state.server_name);
    return server ? server->internet_web_proxy : std::string();
  } catch (const std::exception&) {
    return {};  // a store hiccup is no reason to keep the news back
  }
}

void deliver(self_ptr self, const notification& n) {
  const auto& st = self->state;
  auto failures = st.notifier->send(n, proxy_of(self));
  for (auto& why : failures)
    send_log(self, st.audit, log_operation::notify, log_level::error,
             "Unable to notify of the " + n.event + " on " + n.server + ": " + why);
  if (failures.empty())
    send_log(self, st.audit, log_operation::notify, log_level::information,
             "Notified " + st.notifier->targets() + " of the " + n.event + " on " + n.server +
                 ": " + n.result);
}

}  // namespace

notify_actor::behavior_type notify(notify_actor::stateful_pointer<notify_state> self,
                                   std::shared_ptr<const notifier> notifier,
                                   std::shared_ptr<em::store> store, std::string server_name,
                                   audit_actor audit) {
  self->state.notifier = std::move(notifier);
  self->state.store = std::move(store);
  self->state.server_name = std::move(server_name);
  self->state.audit = std::move(audit);
  return {
      [=](notify_atom, const notification& n) { deliver(self, n); },
      [=](flush_atom) { return true; },
  };
}

}  // namespace em
