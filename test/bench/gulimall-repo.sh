# shellcheck shell=bash
# The benchmarks' GuliMall-sized repository (sourced by test/bench/build-module and test/bench/pipeline).
#
#   bench_repo DIR CLASSES [spring-boot]
#
# BENCH_MODULES (5 to 14, default 14) is the number of modules: the fixture's four and that many of the others.
# DIR gets a copy of test/fixtures/gulimall (groupId bench.gulimall, so that a course-style `mvn install` leaves
# nothing of the real fixture's in the local repository) plus the services the fixture lacks (member, coupon, ware,
# search, auth-server, cart, seckill, third-party, renren-fast, renren-generator: 14 modules), each module but
# gulimall-common with CLASSES generated entity, service and value object classes and a unit test. With
# spring-boot, every service is a Spring Boot 3.5 application with the dependencies of the course's services
# (web, actuator, data-redis, jdbc, amqp, openfeign, loadbalancer, the MySQL driver; those of
# test/fixtures/springboot-service) packaged as a fat jar, as the course's services are.

bench_repo() {
  local repo=$1 classes=$2 spring=${3:-} m d extra
  cp -r "$(dirname "${BASH_SOURCE[0]}")/../fixtures/gulimall" "$repo"
  rm -rf "$repo"/target "$repo"/*/target
  # a groupId of its own, so that the course's `install` leaves nothing of the real fixture's in the local repository
  find "$repo" -name pom.xml -exec sed -i 's/<groupId>com.atguigu.gulimall<\/groupId>/<groupId>bench.gulimall<\/groupId>/' {} +

  extra=(gulimall-member gulimall-coupon gulimall-ware gulimall-search gulimall-auth-server gulimall-cart gulimall-seckill
         gulimall-third-party renren-fast renren-generator)
  local count=${BENCH_MODULES:-14}
  if ! [[ $count =~ ^[0-9]+$ ]] || [ "$count" -lt 5 ] || [ "$count" -gt 14 ]; then
    echo "BENCH_MODULES=$count: give 5 to 14 (the fixture's 4 modules and up to 10 more)" >&2
    return 2
  fi
  extra=("${extra[@]:0:count-4}")
  for m in "${extra[@]}"; do
    mkdir -p "$repo/$m"
    sed -e "s/<artifactId>gulimall-gateway<\/artifactId>/<artifactId>$m<\/artifactId>/" \
        -e "s/<description>.*<\/description>/<description>$m (generated for the benchmark)<\/description>/" \
        "$repo/gulimall-gateway/pom.xml" > "$repo/$m/pom.xml"
    sed -i "s#<module>gulimall-gateway</module>#<module>gulimall-gateway</module>\n    <module>$m</module>#" "$repo/pom.xml"
  done
  for d in "$repo"/*/; do
    m=$(basename "$d")
    [ "$m" = gulimall-common ] || bench_generate "$repo" "$m" "$classes"
  done
  if [ "$spring" = spring-boot ]; then
    bench_spring_boot "$repo"
  fi
}

# bench_generate REPO MODULE CLASSES: CLASSES entities, services and value objects in the module, and a test of them
bench_generate() {
  local repo=$1 m=$2 classes=$3 pkg dir tdir i
  pkg=bench.${m//-/_}.generated
  dir=$repo/$m/src/main/java/${pkg//.//}
  tdir=$repo/$m/src/test/java/${pkg//.//}
  mkdir -p "$dir" "$tdir"
  for i in $(seq 1 "$classes"); do
    cat > "$dir/Item${i}Entity.java" <<JAVA
package $pkg;

import java.math.BigDecimal;
import java.time.LocalDateTime;

/** Generated: a table row as the course's entities are (renren-generator). */
public class Item${i}Entity {
    private Long id;
    private String name;
    private String description;
    private BigDecimal price = BigDecimal.ZERO;
    private Integer status = 0;
    private Integer sort = $i;
    private LocalDateTime createTime = LocalDateTime.of(2020, 1, 1, 0, 0);

    public Long getId() { return id; }
    public void setId(Long id) { this.id = id; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getDescription() { return description; }
    public void setDescription(String description) { this.description = description; }
    public BigDecimal getPrice() { return price; }
    public void setPrice(BigDecimal price) { this.price = price; }
    public Integer getStatus() { return status; }
    public void setStatus(Integer status) { this.status = status; }
    public Integer getSort() { return sort; }
    public void setSort(Integer sort) { this.sort = sort; }
    public LocalDateTime getCreateTime() { return createTime; }
    public void setCreateTime(LocalDateTime createTime) { this.createTime = createTime; }
}
JAVA
    cat > "$dir/Item${i}Vo.java" <<JAVA
package $pkg;

import java.math.BigDecimal;
import java.util.List;

/** Generated: what a controller returns. */
public record Item${i}Vo(Long id, String name, BigDecimal price, List<String> tags) {
    public static Item${i}Vo of(Item${i}Entity e) {
        return new Item${i}Vo(e.getId(), e.getName(), e.getPrice(), List.of("sort-" + e.getSort()));
    }
}
JAVA
    cat > "$dir/Item${i}Service.java" <<JAVA
package $pkg;

import com.atguigu.common.utils.PageUtils;
import com.atguigu.common.utils.R;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Generated: a service over its entities, using gulimall-common as the course's services do. */
public class Item${i}Service {
    private final List<Item${i}Entity> rows = new ArrayList<>();

    public Item${i}Entity save(String name, BigDecimal price) {
        Item${i}Entity e = new Item${i}Entity();
        e.setId((long) rows.size() + 1);
        e.setName(name);
        e.setPrice(price);
        rows.add(e);
        return e;
    }

    public PageUtils<Item${i}Vo> queryPage(Map<String, Object> params) {
        int page = Integer.parseInt(String.valueOf(params.getOrDefault("page", "1")));
        int limit = Integer.parseInt(String.valueOf(params.getOrDefault("limit", "10")));
        String key = String.valueOf(params.getOrDefault("key", ""));
        List<Item${i}Vo> found = rows.stream()
                .filter(e -> key.isEmpty() || e.getName().contains(key))
                .sorted(Comparator.comparing(Item${i}Entity::getSort).thenComparing(Item${i}Entity::getId))
                .map(Item${i}Vo::of)
                .collect(Collectors.toList());
        return PageUtils.of(found, page, limit);
    }

    public BigDecimal total() {
        return rows.stream().map(Item${i}Entity::getPrice).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    public R list(Map<String, Object> params) {
        return R.ok().put("page", queryPage(params)).put("total", total());
    }
}
JAVA
  done
  cat > "$tdir/GeneratedServicesTest.java" <<JAVA
package $pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeneratedServicesTest {
    @Test
    void pagesAndSums() {
        Item1Service s = new Item1Service();
        for (int i = 0; i < 25; i++) {
            s.save("item-" + i, BigDecimal.ONE);
        }
        assertEquals(10, s.queryPage(Map.of("page", "2", "limit", "10")).getList().size());
        assertEquals(new BigDecimal("25"), s.total());
        assertEquals(0, s.list(Map.of("key", "item-1")).getCode());
    }
}
JAVA
}

# bench_spring_boot REPO: the Spring Boot BOMs and plugin in the root pom, and in every service its dependencies,
# an application class and the repackaging into a fat jar.
bench_spring_boot() {
  local repo=$1 d m pkg
  python3 - "$repo/pom.xml" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
boms = """
      <dependency>
        <groupId>org.springframework.boot</groupId>
        <artifactId>spring-boot-dependencies</artifactId>
        <version>3.5.7</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
      <dependency>
        <groupId>org.springframework.cloud</groupId>
        <artifactId>spring-cloud-dependencies</artifactId>
        <version>2025.0.0</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>"""
s = s.replace("\n    </dependencies>\n  </dependencyManagement>", boms, 1)
plugin = """<plugin>
          <groupId>org.springframework.boot</groupId>
          <artifactId>spring-boot-maven-plugin</artifactId>
          <version>3.5.7</version>
          <executions><execution><goals><goal>repackage</goal></goals></execution></executions>
        </plugin>
      </plugins>
    </pluginManagement>"""
s = s.replace("</plugins>\n    </pluginManagement>", plugin, 1)
open(p, "w").write(s)
PY
  for d in "$repo"/*/; do
    m=$(basename "$d")
    [ "$m" = gulimall-common ] && continue
    python3 - "$d/pom.xml" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
deps = "".join("""
    <dependency><groupId>%s</groupId><artifactId>%s</artifactId></dependency>""" % tuple(a.split(":")) for a in [
    "org.springframework.boot:spring-boot-starter-web", "org.springframework.boot:spring-boot-starter-actuator",
    "org.springframework.boot:spring-boot-starter-data-redis", "org.springframework.boot:spring-boot-starter-jdbc",
    "org.springframework.boot:spring-boot-starter-amqp", "org.springframework.cloud:spring-cloud-starter-openfeign",
    "org.springframework.cloud:spring-cloud-starter-loadbalancer"])
deps += """
    <dependency><groupId>com.mysql</groupId><artifactId>mysql-connector-j</artifactId><scope>runtime</scope></dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin>
    </plugins>
  </build>"""
s = s.replace("\n  </dependencies>", deps, 1)
open(p, "w").write(s)
PY
    pkg=bench.${m//-/_}
    mkdir -p "$d/src/main/java/${pkg//.//}"
    cat > "$d/src/main/java/${pkg//.//}/Application.java" <<JAVA
package $pkg;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Generated: the service's Spring Boot application, as each of the course's services has one. */
@SpringBootApplication
public class Application {
    public static void main(String[] args) {
        SpringApplication.run(Application.class, args);
    }
}
JAVA
  done
}
