// A custom image as the store keeps it. Like instances, its state is a pure
// function of the record and the clock: CREATING / IMPORTING / SYNCING until
// ready_at, then NORMAL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "state/clock.h"
#include "state/enums.h"

namespace cvm::state {

struct Image {
  int64_t rowid = 0;
  int64_t app_id = 0;  // the owner
  std::string region;
  std::string image_id;
  std::string name;
  std::optional<std::string> description;
  std::string os_name, platform, architecture;
  bool windows = false;
  int64_t size_gb = 0;
  bool cloud_init = false;
  ImageSource source = ImageSource::kCreateImage;
  std::optional<std::string> source_instance;
  std::string creator;  // the owner's Uin
  TimeMs created_at = 0;
  ImageState pending_state = ImageState::kCreating;  // until ready_at
  TimeMs ready_at = 0;
  // A SyncImages copy from this image runs between these instants.
  std::optional<TimeMs> sync_started_at, sync_done_at;

  // CREATING / IMPORTING / SYNCING, then NORMAL.
  ImageState State(TimeMs now) const { return now < ready_at ? pending_state : ImageState::kNormal; }
  bool Normal(TimeMs now) const { return now >= ready_at; }
  // True while a SyncImages copy from this image is running.
  bool Syncing(TimeMs now) const { return sync_done_at && now < *sync_done_at; }
  // Progress of the latest copy from (or into) this image, 0..100.
  int64_t SyncPercent(TimeMs now) const;
  bool operator==(const Image&) const = default;
};

}  // namespace cvm::state
