#include "actors/errors.hpp"

#include <caf/make_message.hpp>
#include <caf/message.hpp>

namespace em {

caf::error make_error(cycle_errc code, std::string reason) {
  return caf::error{static_cast<std::uint8_t>(code), cycle_error_category,
                    caf::make_message(std::move(reason))};
}

std::string reason_of(const caf::error& err) {
  if (err.category() == cycle_error_category && err.context().match_elements<std::string>())
    return err.context().get_as<std::string>(0);
  return caf::to_string(err);
}

}  // namespace em
